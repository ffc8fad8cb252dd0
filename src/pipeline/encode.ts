// The one place an event becomes bytes on the wire (NDJSON lines, Kafka
// values, bulk documents). Kept separate so the hot path can be tuned here
// without touching parsers or sinks.

import type { EcsEvent } from './event.js';

export function encodeEvent(event: EcsEvent): string {
  return JSON.stringify(event);
}

/** A batch as NDJSON: one line per event, each ending in '\n'. */
export function encodeNdjson(events: readonly EcsEvent[]): string {
  let out = '';
  for (let i = 0; i < events.length; i++) out += encodeEvent(events[i]) + '\n';
  return out;
}

const NEWLINE = 0x0a;

/**
 * Batches as NDJSON bytes in one buffer reused from batch to batch: each event
 * is UTF-8 encoded once, straight into place, where concatenating strings
 * builds a rope that is flattened and then encoded again by the write. The
 * buffer grows on demand (a batch is bounded by the input's batch bytes, a
 * line by max_line_bytes); one grown past `keepBytes` is dropped at the next
 * batch, so a rare huge batch does not pin memory.
 */
export class NdjsonEncoder {
  private buf: Buffer;

  constructor(
    private readonly initialBytes = 256 * 1024,
    private readonly keepBytes = 4 * 1024 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** The batch's NDJSON; valid until the next call (the caller writes it before asking again). */
  encode(events: readonly EcsEvent[]): Buffer {
    if (this.buf.length > this.keepBytes) this.buf = Buffer.allocUnsafe(this.initialBytes);
    let buf = this.buf;
    let used = 0;
    for (let i = 0; i < events.length; i++) {
      const json = encodeEvent(events[i]);
      // Up to 3 bytes per UTF-16 unit: room for that means no exact count is needed.
      if (used + json.length * 3 + 1 > buf.length) {
        const need = used + Buffer.byteLength(json) + 1;
        if (need > buf.length) buf = this.grow(buf, used, need);
      }
      used += buf.write(json, used);
      buf[used++] = NEWLINE;
    }
    return buf.subarray(0, used);
  }

  private grow(old: Buffer, used: number, need: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(need, old.length * 2));
    old.copy(buf, 0, 0, used);
    this.buf = buf;
    return buf;
  }
}
