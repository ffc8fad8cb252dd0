// A stage works on every batch's events after they are made and before the
// output takes them: enrichers add fields, alerts count. Stages run in the
// order they are given, on the hot path, so one is built once from config
// and reads no options per event.

import type { EcsEvent } from './event.js';

export interface EventStage {
  process(events: EcsEvent[]): void;
  /** Stops timers and drops work not yet done (alerts' pending notifications). */
  close?(): void;
}
