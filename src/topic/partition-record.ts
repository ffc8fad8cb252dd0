// A record read from one partition of a partitioned log (the writer reads
// Kafka): where it came from, for offset commits and the dead letter, and its
// key and value bytes; and the same record once rejected, with the reason.
// The consumer produces the one, the document writer the other, and the
// dead-letter producer takes it: each names these shapes rather than its own.

export interface PartitionRecord {
  readonly topic: string;
  readonly partition: number;
  /** The record's offset in its partition, as a decimal string (64-bit). */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Message timestamp, ms since the epoch. */
  readonly timestamp: number;
  /** The value holds many events, one JSON a line (NDJSON); else it is one event. */
  readonly packed: boolean;
}

/** A record that cannot be delivered (not an event, or refused by the store), bound for the dead letter. */
export interface RejectedRecord {
  error: { type: string; reason: string; status: number };
  /** The original value as text (the parsed event when it is JSON), null when there was none. */
  value: string | null;
  key: Buffer | null;
  topic: string;
  partition: number;
  offset: string;
}
