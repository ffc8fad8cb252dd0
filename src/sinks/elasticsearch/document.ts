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
  const index = target.namer.name(event.event?.dataset, event['@timestamp'], nowMs);
  return { id, index, source: encodeEvent(event) };
}

export type ParsedValue = { ok: true; doc: BulkDoc } | { ok: false; reason: string };

/**
 * A document from a Kafka message value (event JSON). `fallbackId` (topic, partition,
 * offset) stands in for a missing event.id: it is the same on every replay.
 * `timestampMs` (the message's) dates an event without @timestamp.
 */
export function docFromValue(
  value: string,
  target: DocTarget,
  fallbackId: string,
  timestampMs: number,
): ParsedValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    return { ok: false, reason: `value is not JSON: ${(err as Error).message}` };
  }
  if (!isPlainObject(parsed)) return { ok: false, reason: 'value is not a JSON object' };
  const event = parsed;
  const rawId = eventField(event, 'id');
  const id = typeof rawId === 'string' && rawId !== '' && rawId.length <= 512 ? rawId : fallbackId;
  let source = value;
  let changed = false;
  if (target.kind === 'data_stream' && event['@timestamp'] === undefined) {
    event['@timestamp'] = new Date(timestampMs).toISOString();
    changed = true;
  }
  // A value pretty-printed over several lines would break the NDJSON body.
  if (changed || value.indexOf('\n') !== -1) source = JSON.stringify(event);
  const index = target.namer.name(eventField(event, 'dataset'), event['@timestamp'], timestampMs);
  return { ok: true, doc: { id, index, source } };
}
