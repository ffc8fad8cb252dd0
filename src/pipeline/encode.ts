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
