// The read cursor of one content (one sourceId): its registry entry, the
// acks of the chunks handed out, and where the next chunk starts. It outlives
// its harvester while acks are pending, so a file reopened later resumes exactly.

import { AckTracker } from './acks.js';
import type { RegistryEntry } from './registry.js';

export class Cursor {
  readonly entry: RegistryEntry;
  readonly acks: AckTracker;
  /** End of the last line handed out (at or after the committed offset). */
  emitOffset: number;
  /** Whether a reader currently reads this content. */
  attached = false;

  constructor(entry: RegistryEntry) {
    this.entry = entry;
    this.acks = new AckTracker(entry.offset);
    this.emitOffset = entry.offset;
  }

  get sourceId(): string {
    return this.entry.sourceId;
  }
}
