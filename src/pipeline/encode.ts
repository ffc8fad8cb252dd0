// The one place an event becomes bytes on the wire (NDJSON lines, Kafka
// values, bulk documents). Kept separate so the hot path can be tuned here
// without touching parsers or sinks.

import type { EcsEvent } from './event.js';

export function encodeEvent(event: EcsEvent): string {
  return JSON.stringify(event);
}
