// An event that would not fit its output (Kafka refuses messages over its
// message.max.bytes) is shrunk, never dropped: event.original is cut and the
// event tagged _truncated; if parsed fields alone are still too big, only the
// fields that identify the line are kept. Escapes can make an event several
// times longer than its line, so max_line_bytes alone cannot prevent this.

import { addTag, TAG_TRUNCATED, type EcsEvent } from './event.js';
import { encodeEvent } from './encode.js';

export const TAG_OVERSIZE = '_oversize';

/** The event's JSON, at most `maxBytes` bytes of UTF-8 (for any maxBytes of 4 KiB or more). */
export function encodeWithin(event: EcsEvent, maxBytes: number): string {
  const json = encodeEvent(event);
  // A JS string's UTF-8 length is at most 3 bytes per UTF-16 unit: skip the count when it must fit.
  if (json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes) return json;
  const original = event.event.original;
  // What the rest of the event takes; the original gets the remaining budget
  // (its JSON form counts: control characters grow sixfold as \u00XX).
  const others = Buffer.byteLength(json) - jsonBytes(original);
  const shrunk: EcsEvent = {
    ...event,
    event: { ...event.event, original: cutJson(original, maxBytes - others - 1024) },
  };
  if (event.tags !== undefined) shrunk.tags = [...event.tags];
  addTag(shrunk, TAG_TRUNCATED);
  const second = encodeEvent(shrunk);
  if (Buffer.byteLength(second) <= maxBytes) return second;
  // The parsed fields alone are too big: keep what identifies the line.
  const minimal: EcsEvent = {
    '@timestamp': event['@timestamp'],
    event: { ...event.event, original: '' },
    log: event.log,
    host: event.host,
    tags: [...(shrunk.tags ?? []), TAG_OVERSIZE],
  };
  const room = maxBytes - Buffer.byteLength(encodeEvent(minimal)) - 16;
  minimal.event.original = cutJson(original, room);
  return encodeEvent(minimal);
}

/** Bytes of `text` as a JSON string (quotes and escapes included). */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** A prefix of `text` whose JSON form takes at most `maxBytes` bytes (never a split character). */
export function cutJson(text: string, maxBytes: number): string {
  if (maxBytes <= 2) return '';
  const total = jsonBytes(text);
  if (total <= maxBytes) return text;
  let end = Math.floor((text.length * maxBytes) / total);
  while (end > 0 && jsonBytes(text.slice(0, end)) > maxBytes) end = Math.floor(end * 0.9);
  if (end > 0) {
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
  }
  return text.slice(0, end);
}
