// Batches and acknowledgements: the contract between sources and sinks.
// A source hands over a batch with an ack callback; a sink calls ack exactly
// once, after every event of the batch is delivered (or settled by a rule the
// user chose, which is then counted). Nothing else moves a source's position.

import type { EcsEvent } from './event.js';

export interface EventBatch {
  readonly events: EcsEvent[];
  /** Encoded size estimate in bytes (raw line bytes), for backpressure bounds. */
  readonly bytes: number;
  /** Called once when every event is delivered. Never called on failure. */
  readonly ack: () => void;
}

/**
 * A sink accepts batches. `write` resolves when the sink has taken the batch
 * into its bounded buffer: a pending promise is backpressure. Delivery is
 * reported through `batch.ack`, not through the promise.
 */
export interface Sink {
  readonly name: string;
  start(): Promise<void>;
  write(batch: EventBatch): Promise<void>;
  /** Deliver everything accepted so far (bounded by the caller's deadline). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
