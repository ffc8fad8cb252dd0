// Batches and acknowledgements: the contract between sources and sinks.
// A source hands over a batch with an ack callback; a sink calls ack exactly
// once, after every event of the batch is delivered (or settled by a rule the
// user chose, which is then counted). Nothing else moves a source's position.

import type { EcsEvent } from './event.js';

/** Where a batch's events come from: one file of one input. */
export interface BatchOrigin {
  readonly inputId: string;
  /** The file's stable identity: a Kafka message key, so one file stays in one partition. */
  readonly sourceId: string;
  /** The input's format (combined, main, json, error, custom), for topic templates. */
  readonly format: string;
}

/** Why the downstream refuses, in /status: a short reason, the error code, what it said. */
export interface OutputRefusal {
  readonly reason: string;
  readonly code: string;
  readonly message: string;
  /** Epoch ms since when it refuses for this reason. */
  readonly since: number;
}

export interface EventBatch {
  readonly events: EcsEvent[];
  readonly origin?: BatchOrigin;
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
  /**
   * For liveness: 'waiting' while the sink backs off from an unreachable or
   * failing downstream (not a fault of this process); 'working' while it
   * delivers; 'idle' with nothing to do. Sinks that never wait omit it.
   */
  state?(): 'idle' | 'working' | 'waiting';
  /**
   * Set while the downstream answers but refuses logpod (a missing topic, credentials,
   * TLS): the sink retries with backoff and the owner reports it. Sinks that cannot be
   * refused omit it.
   */
  refusal?(): OutputRefusal | undefined;
  /** Deliver everything accepted so far (bounded by the caller's deadline). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
