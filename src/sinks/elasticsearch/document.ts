// Events and Kafka message values turned into bulk documents: the _id is
// event.id (a stable fallback when absent), the target comes from the dataset
// and @timestamp, and the source is one line of JSON (a message value is sent
// as is when it already is one, so the writer does not re-encode it).

import { randomUUID } from 'node:crypto';
import type { EcsEvent } from '../../pipeline/event.js';
import { encodeEvent } from '../../pipeline/encode.js';
import { isPlainObject } from '../../support/plain-object.js';
import type { BulkDoc } from './bulk-writer.js';
import type { IndexNamer, TargetKind } from './index-name.js';

export interface DocTarget {
  kind: TargetKind;
  namer: IndexNamer;
}

function eventField(event: Record<string, unknown>, key: 'id' | 'dataset'): unknown {
  const e = event.event;
  return e !== null && typeof e === 'object' ? (e as Record<string, unknown>)[key] : undefined;
}

/** A document from an event of the pipeline; events without an id get a random one. */
export function docFromEvent(event: EcsEvent, target: DocTarget, nowMs: number): BulkDoc {
  const id =
    typeof event.event?.id === 'string' && event.event.id !== '' ? event.event.id : randomUUID();
  if (target.kind === 'data_stream' && event['@timestamp'] === undefined) {
    event['@timestamp'] = new Date(nowMs).toISOString();
  }
  const timestamp = event['@timestamp'];
  const index = target.namer.name(event.event?.dataset, timestamp, nowMs);
  return { id, index, source: encodeEvent(event), timestamp };
}

export type ValueEvent =
  { ok: true; event: Record<string, unknown> } | { ok: false; reason: string };

/** A Kafka message value (event JSON) as an object, or why it is not one. */
export function eventFromValue(value: string): ValueEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    return { ok: false, reason: `value is not JSON: ${(err as Error).message}` };
  }
  if (!isPlainObject(parsed)) return { ok: false, reason: 'value is not a JSON object' };
  return { ok: true, event: parsed };
}

/**
 * The document for an event read from a message. `value`, the message's text, is sent
 * as is when the event was not changed since (undefined: the event was changed, encode it).
 * `fallbackId` (topic, partition, offset) stands in for a missing event.id: it is the
 * same on every replay. `timestampMs` (the message's) dates an event without @timestamp.
 */
export function docFromMessageEvent(
  event: Record<string, unknown>,
  value: string | undefined,
  target: DocTarget,
  fallbackId: string,
  timestampMs: number,
): BulkDoc {
  const rawId = eventField(event, 'id');
  const id = typeof rawId === 'string' && rawId !== '' && rawId.length <= 512 ? rawId : fallbackId;
  let changed = value === undefined;
  if (target.kind === 'data_stream' && event['@timestamp'] === undefined) {
    event['@timestamp'] = new Date(timestampMs).toISOString();
    changed = true;
  }
  // A value pretty-printed over several lines would break the NDJSON body.
  const source =
    changed || value === undefined || value.indexOf('\n') !== -1 ? JSON.stringify(event) : value;
  const timestamp = event['@timestamp'];
  const index = target.namer.name(eventField(event, 'dataset'), timestamp, timestampMs);
  return { id, index, source, timestamp };
}
