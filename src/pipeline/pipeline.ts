// Runs sources into one sink: chunk -> events (the input's step) -> stages ->
// sink.write, awaiting each write so a slow sink pauses reading (the source
// bounds what is in flight). Generic: what a chunk is, and how it becomes
// events, is wired in by whoever builds the pipeline.
// A retryable output error is retried with backoff for the same batch; it is
// never dropped. Shutdown: stop sources (which stop reading, wait for acks
// and write the registry last) while the sink keeps delivering, then close it.

import type { Logger } from '../logger.js';
import type { EventBatch, OutputRefusal, Sink } from './batch.js';
import { PipelineCounters } from './counters.js';
import type { PipelineInput } from './source.js';
import type { EventStage } from './stage.js';
import { RateLimitedLog } from '../support/rate-limited-log.js';
import { LogpodError } from '../errors.js';
import { withDeadline } from '../support/deadline.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../support/backoff.js';

export interface PipelineOptions<Chunk> {
  readonly inputs: readonly PipelineInput<Chunk>[];
  /** Run on every batch, in order, before the sink takes it. */
  readonly stages?: readonly EventStage[];
  readonly sink: Sink;
  readonly logger: Logger;
  /** Shared with the inputs' "to events" steps, which count what they read. */
  readonly counters?: PipelineCounters;
  readonly retry?: BackoffPolicy;
}

export class Pipeline<Chunk> {
  readonly counters: PipelineCounters;
  private readonly inputs: readonly PipelineInput<Chunk>[];
  private readonly stages: readonly EventStage[];
  private readonly sink: Sink;
  private readonly logger: Logger;
  private readonly retry: BackoffPolicy;
  private stopping = false;
  /** Writes currently backing off after a retryable output error. */
  private retrying = 0;
  private fatalError: Error | undefined;
  private readonly fatalWaiters: ((err: Error) => void)[] = [];
  private readonly warnings: RateLimitedLog;

  constructor(options: PipelineOptions<Chunk>) {
    this.inputs = options.inputs;
    this.stages = options.stages ?? [];
    this.sink = options.sink;
    this.logger = options.logger;
    this.counters = options.counters ?? new PipelineCounters();
    this.retry = options.retry ?? { initialMs: 200, maxMs: 30_000 };
    this.warnings = new RateLimitedLog(options.logger);
  }

  async start(): Promise<void> {
    await this.sink.start();
    for (const input of this.inputs) {
      // Stopped while starting: a source not started has nothing to stop.
      if (this.stopping) return;
      await input.source.start((chunk) => this.handleChunk(input, chunk));
    }
  }

  /** Resolves when every source is read to its end and everything read is acknowledged. */
  async whenIdle(): Promise<void> {
    await Promise.all(this.inputs.map((i) => i.source.whenIdle()));
  }

  /** The output's state for liveness: 'waiting' while it retries a failing downstream. */
  outputState(): 'idle' | 'working' | 'waiting' {
    if (this.retrying > 0) return 'waiting';
    return this.sink.state?.() ?? 'working';
  }

  /** Why the output refuses logpod right now (it keeps retrying), if it does. */
  outputRefusal(): OutputRefusal | undefined {
    return this.sink.refusal?.();
  }

  /** Resolves with the error that made the pipeline unable to go on (a non-retryable output error). */
  whenFatal(): Promise<Error> {
    if (this.fatalError) return Promise.resolve(this.fatalError);
    return new Promise((resolve) => this.fatalWaiters.push(resolve));
  }

  async stop(drainTimeoutMs: number): Promise<void> {
    this.stopping = true;
    // A downstream that refuses logpod will not take the rest before the deadline: stop
    // at once. Nothing unacknowledged is lost; it is read again on the next start.
    const refusal = this.sink.refusal?.();
    if (refusal !== undefined) {
      this.logger.warn(
        { output: this.sink.name, code: refusal.code },
        'the output refuses logpod: stopping without waiting for it',
      );
      drainTimeoutMs = 0;
    }
    const deadline = Date.now() + drainTimeoutMs;
    // The sources wait (bounded) for acks while the sink keeps delivering;
    // a flush that cannot finish (the downstream is gone) is given up on.
    await Promise.all(this.inputs.map((i) => i.source.stop({ drainTimeoutMs })));
    if (refusal === undefined) {
      const flushed = await withDeadline(
        this.sink
          .flush()
          .catch((err: unknown) => this.logger.error({ err }, 'output flush failed')),
        Math.max(deadline - Date.now(), 0),
      );
      if (!flushed)
        this.logger.warn(
          { output: this.sink.name },
          'shutdown deadline reached before the output flushed',
        );
    }
    await this.sink
      .close()
      .catch((err: unknown) => this.logger.error({ err }, 'output close failed'));
  }

  private async handleChunk(input: PipelineInput<Chunk>, chunk: Chunk): Promise<void> {
    const made = input.toEvents(chunk);
    const events = made.events;
    const stages = this.stages;
    for (let s = 0; s < stages.length; s++) stages[s].process(events);
    const batch: EventBatch = {
      events,
      origin: made.origin,
      bytes: made.bytes,
      ack: countedAck(this.counters, events.length, made.ack),
    };
    await this.writeWithRetry(batch);
  }

  private async writeWithRetry(batch: EventBatch): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.fatalError) return;
      try {
        await this.sink.write(batch);
        return;
      } catch (err) {
        this.counters.outputErrors++;
        const retryable = err instanceof LogpodError ? err.retryable : true;
        if (!retryable) {
          this.fail(err as Error);
          return;
        }
        const delay = backoffDelay(attempt, this.retry);
        this.warnings.warn(
          `output:${this.sink.name}`,
          { err, retryInMs: delay },
          `output ${this.sink.name} failed; the batch is kept and retried`,
        );
        if (this.stopping) return;
        this.retrying++;
        await sleep(delay).finally(() => this.retrying--);
      }
    }
  }

  private fail(err: Error): void {
    if (this.fatalError) return;
    this.fatalError = err;
    this.logger.error({ err }, `output ${this.sink.name} cannot go on`);
    for (const waiter of this.fatalWaiters.splice(0)) waiter(err);
  }
}

/**
 * The batch's ack holds a count, not the events: a sink keeps acks until the
 * output confirmed delivery (Kafka: after the send), and the events, already
 * encoded by then, must not stay in memory that long.
 */
function countedAck(counters: PipelineCounters, events: number, ack: () => void): () => void {
  return () => {
    counters.eventsAcked += events;
    counters.batchesAcked++;
    ack();
  };
}
