// What the pipeline runs, whatever the data: a source hands out chunks and
// reads no further while the handler's promise is pending (backpressure); an
// input's "to events" step turns each chunk into a batch whose ack
// acknowledges the chunk. What a chunk holds is the source's business.

import type { EventBatch } from './batch.js';

export interface Source<Chunk> {
  start(onChunk: (chunk: Chunk) => Promise<void>): Promise<void>;
  /** Stops reading; waits (bounded) for what was handed out to be acknowledged. */
  stop(opts?: { drainTimeoutMs?: number }): Promise<void>;
  /** Resolves when everything there is to read is read and acknowledged. */
  whenIdle(): Promise<void>;
}

/** One chunk to one batch; the batch's ack acknowledges the chunk. */
export type ToEvents<Chunk> = (chunk: Chunk) => EventBatch;

export interface PipelineInput<Chunk> {
  readonly id: string;
  readonly source: Source<Chunk>;
  readonly toEvents: ToEvents<Chunk>;
}
