// A record read from one partition of a partitioned log (the writer reads
// Kafka): where it came from, for offset commits and the dead letter, and its
// key and value bytes. The consumer produces it and the writer's sinks take
// it, so both sides name this one shape rather than each declaring its own.

export interface PartitionRecord {
  readonly topic: string;
  readonly partition: number;
  /** The record's offset in its partition, as a decimal string (64-bit). */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Message timestamp, ms since the epoch. */
  readonly timestamp: number;
}
