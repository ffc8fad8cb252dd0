// Events of one batch (one source) become Kafka records. Packed: NDJSON, one
// event JSON a line, each record at most record_max_bytes of value (an event
// bigger than that is a record alone), headers naming the content type and
// the event count. Unpacked: one event JSON per record, as before packing.
// kafkajs encodes a Buffer per record and per header, which costs more than
// parsing and encoding the event: packing pays that once per record.

import type { IHeaders } from 'kafkajs';
import type { EcsEvent } from '../../pipeline/event.js';
import { encodeWithin } from '../../pipeline/oversize.js';
import {
  CONTENT_TYPE_HEADER,
  CONTENT_TYPE_NDJSON,
  EVENT_COUNT_HEADER,
  LOGPOD_SCHEMA_HEADER,
  LOGPOD_SCHEMA_VERSION,
} from '../../topic/contract.js';
import { MESSAGE_HEADERS } from './message-headers.js';
import type { QueuedMessage } from './send-queue.js';

/**
 * Kafka refuses a message over the broker's message.max.bytes (1,048,588 by
 * default); an event above this is shrunk (event.original cut, tagged
 * _truncated) instead of stopping the output.
 */
export const MAX_EVENT_BYTES = 1_000_000;

const NEWLINE = 0x0a;
const SCHEMA_VALUE = Buffer.from(LOGPOD_SCHEMA_VERSION);
const NDJSON_VALUE = Buffer.from(CONTENT_TYPE_NDJSON);

/** Turns the events of one batch into the records that carry them. */
export interface RecordPacker {
  pack(events: readonly EcsEvent[], key: string | null): QueuedMessage[];
}

/** One event per record: value = the event JSON, headers shared by all. */
export class SingleEventPacker implements RecordPacker {
  pack(events: readonly EcsEvent[], key: string | null): QueuedMessage[] {
    const messages = new Array<QueuedMessage>(events.length);
    for (let i = 0; i < events.length; i++) {
      const value = Buffer.from(encodeWithin(events[i], MAX_EVENT_BYTES));
      messages[i] = { key, value, headers: MESSAGE_HEADERS };
    }
    return messages;
  }
}

/**
 * NDJSON records of at most `recordMaxBytes`. Events are written straight into
 * one scratch buffer (UTF-8 encoded once, no string concatenation) and each
 * record's value is one copy out of it.
 */
export class NdjsonPacker implements RecordPacker {
  private readonly scratch: Buffer;

  constructor(private readonly recordMaxBytes: number) {
    // Room for a full record and, after it, one event of the largest size.
    this.scratch = Buffer.allocUnsafe(Math.max(recordMaxBytes, MAX_EVENT_BYTES + 1));
  }

  pack(events: readonly EcsEvent[], key: string | null): QueuedMessage[] {
    const messages: QueuedMessage[] = [];
    const scratch = this.scratch;
    const limit = this.recordMaxBytes;
    let used = 0;
    let count = 0;
    for (let i = 0; i < events.length; i++) {
      const json = encodeWithin(events[i], MAX_EVENT_BYTES);
      const size = Buffer.byteLength(json) + 1;
      if (count > 0 && used + size > limit) {
        messages.push(ndjsonMessage(key, Buffer.from(scratch.subarray(0, used)), count));
        used = 0;
        count = 0;
      }
      used += scratch.write(json, used);
      scratch[used++] = NEWLINE;
      count++;
    }
    if (count > 0) messages.push(ndjsonMessage(key, Buffer.from(scratch.subarray(0, used)), count));
    return messages;
  }
}

/** A packed record: the value ends in a newline, `events` lines. */
export function ndjsonMessage(key: string | null, value: Buffer, events: number): QueuedMessage {
  const headers: IHeaders = {
    [LOGPOD_SCHEMA_HEADER]: SCHEMA_VALUE,
    [CONTENT_TYPE_HEADER]: NDJSON_VALUE,
    [EVENT_COUNT_HEADER]: String(events),
  };
  return { key, value, headers, events };
}

/**
 * Two records holding the events of a packed one, cut at the line boundary
 * nearest its middle; undefined when it holds a single event (nothing to cut).
 * For a record Kafka refused as too large: split, never dropped.
 */
export function splitRecord(message: QueuedMessage): [QueuedMessage, QueuedMessage] | undefined {
  if (message.events === undefined || message.events < 2) return undefined;
  const value = message.value;
  // The newline ending the line that holds the middle byte; the last newline ends the value.
  let cut = value.indexOf(NEWLINE, value.length >> 1) + 1;
  if (cut <= 0 || cut >= value.length) cut = value.lastIndexOf(NEWLINE, value.length - 2) + 1;
  if (cut <= 0) return undefined;
  const first = value.subarray(0, cut);
  const firstEvents = countLines(first);
  return [
    ndjsonMessage(message.key, first, firstEvents),
    ndjsonMessage(message.key, value.subarray(cut), message.events - firstEvents),
  ];
}

function countLines(value: Buffer): number {
  let n = 0;
  for (let at = value.indexOf(NEWLINE); at !== -1; at = value.indexOf(NEWLINE, at + 1)) n++;
  return n;
}

/** Header bytes of a packed record besides key and value (the count's digits estimated). */
export const NDJSON_OVERHEAD_BYTES =
  LOGPOD_SCHEMA_HEADER.length +
  LOGPOD_SCHEMA_VERSION.length +
  CONTENT_TYPE_HEADER.length +
  CONTENT_TYPE_NDJSON.length +
  EVENT_COUNT_HEADER.length +
  6 +
  32;
