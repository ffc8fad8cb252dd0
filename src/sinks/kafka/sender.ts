// Drives the send queue: admits batches while the buffer has room (else the
// caller waits: backpressure), cuts chunks when batch_bytes is reached or
// linger has passed, keeps up to maxInFlight sends going, and retries a failed
// send forever with backoff until it succeeds or the failure cannot be fixed
// by waiting. Batches are acknowledged only after Kafka acknowledged them.

import type { Logger } from '../../logger.js';
import { RateLimitedLog } from '../../support/rate-limited-log.js';
import { ErrorCodes, LogpodError } from '../../errors.js';
import { backoffDelay, SEND_BACKOFF, type BackoffPolicy } from './backoff.js';
import { SendQueue, splitChunk, splitRecordChunk, type Chunk, type Segment } from './send-queue.js';
import { KafkaSinkStats } from './stats.js';

/** Delivers a chunk to Kafka or throws. */
export interface ChunkTransport {
  deliver(chunk: Chunk): Promise<void>;
}

/** Thrown by a transport when Kafka refuses a request as too large: the sender halves it. */
export class ChunkTooLargeError extends Error {
  constructor(cause: unknown) {
    super('Kafka refused the request as too large', { cause });
    this.name = 'ChunkTooLargeError';
  }
}

export interface SenderOptions {
  batchBytes: number;
  lingerMs: number;
  maxInFlight: number;
  /** write() waits while accepting a batch would take the buffer past this. */
  maxBufferedBytes: number;
  /** Named in warnings: where the events are going. */
  brokers: string;
  backoff?: BackoffPolicy;
  /**
   * True while Kafka refuses (missing topic, credentials, TLS): the buffer then holds what
   * it has and takes nothing more, so reading stops at once and the file keeps the lines.
   */
  holdBack?: () => boolean;
}

/** Unwinds a send that is still retrying when the sender stops. */
class Stopped extends Error {}

interface RoomWaiter {
  segment: Segment;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Sender {
  readonly stats = new KafkaSinkStats();
  readonly queue = new SendQueue();
  private failure: Error | undefined;
  private stopped = false;
  /** Linger has passed for what is waiting (or a flush asked): send without waiting for a full chunk. */
  private due = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly roomWaiters: RoomWaiter[] = [];
  private readonly flushWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private readonly sleepers = new Set<() => void>();
  private readonly running = new Set<Promise<void>>();
  private failingSince: number | undefined;
  private readonly backoff: BackoffPolicy;

  constructor(
    private readonly transport: ChunkTransport,
    private readonly options: SenderOptions,
    private readonly logger: Logger,
    private readonly warnings = new RateLimitedLog(logger),
  ) {
    this.backoff = options.backoff ?? SEND_BACKOFF;
  }

  /** The error that stopped the sender for good, if any. */
  /** True while sends are failing and being retried (Kafka unreachable or refusing). */
  get retrying(): boolean {
    return this.failingSince !== undefined;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Resolves once the segment is in the buffer; waits while there is no room. */
  enqueue(segment: Segment): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopped) return Promise.reject(closedError());
    if (this.roomWaiters.length === 0 && this.hasRoom(segment.bytes)) {
      this.admit(segment);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.roomWaiters.push({ segment, resolve, reject }));
  }

  /** Resolves when everything accepted so far is acknowledged. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.unackedSegments === 0) return Promise.resolve();
    if (this.stopped) return Promise.reject(closedError());
    const done = new Promise<void>((resolve, reject) =>
      this.flushWaiters.push({ resolve, reject }),
    );
    this.due = true;
    this.pump();
    return done;
  }

  /** Stops sending: retries end, waiting writes resolve (their batches are never acknowledged). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.disarmLinger();
    for (const wake of this.sleepers) wake();
    for (const waiter of this.roomWaiters.splice(0)) waiter.resolve();
    const unsent = closedError();
    for (const waiter of this.flushWaiters.splice(0)) waiter.reject(unsent);
  }

  /** Resolves when no send is running any more (after stop, once the transport is closed). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private hasRoom(bytes: number): boolean {
    const buffered = this.queue.bufferedBytes;
    if (buffered === 0) return true;
    if (this.options.holdBack?.() === true) return false;
    return buffered + bytes <= this.options.maxBufferedBytes;
  }

  private admit(segment: Segment): void {
    const wasIdle = this.queue.pendingSegments === 0;
    this.queue.add(segment);
    this.stats.bufferedBytes = this.queue.bufferedBytes;
    if (wasIdle && !this.due) this.armLinger();
    this.pump();
  }

  private admitWaiting(): void {
    while (
      this.roomWaiters.length > 0 &&
      !this.stopped &&
      this.hasRoom(this.roomWaiters[0].segment.bytes)
    ) {
      const waiter = this.roomWaiters.shift()!;
      this.admit(waiter.segment);
      waiter.resolve();
    }
  }

  private pump(): void {
    const queue = this.queue;
    while (
      !this.stopped &&
      this.stats.inFlight < this.options.maxInFlight &&
      queue.pendingSegments > 0
    ) {
      if (!this.due && queue.pendingBytes < this.options.batchBytes) return;
      const chunk = queue.take(this.options.batchBytes);
      if (chunk === undefined) return;
      this.start(chunk);
    }
    if (queue.pendingSegments === 0 && this.flushWaiters.length === 0) {
      this.due = false;
      this.disarmLinger();
    }
  }

  private armLinger(): void {
    if (this.lingerTimer !== undefined) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.due = true;
      this.pump();
    }, this.options.lingerMs);
  }

  private disarmLinger(): void {
    if (this.lingerTimer === undefined) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private start(chunk: Chunk): void {
    this.stats.inFlight++;
    const run = this.run(chunk).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async run(chunk: Chunk): Promise<void> {
    try {
      await this.deliver(chunk);
    } catch (err) {
      if (!(err instanceof Stopped)) this.fail(err as Error);
    } finally {
      this.queue.release(chunk);
      this.stats.inFlight--;
      if (this.queue.unackedSegments === 0) {
        for (const waiter of this.flushWaiters.splice(0)) waiter.resolve();
      }
      this.pump();
    }
  }

  /**
   * Sends a chunk until Kafka takes it; halves it when Kafka finds it too large (a chunk of
   * one packed record: the record, by its lines).
   */
  private async deliver(chunk: Chunk): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw new Stopped();
      if (chunk.count === 0) return this.succeed(chunk);
      const began = performance.now();
      try {
        await this.transport.deliver(chunk);
      } catch (err) {
        if (this.stopped) throw new Stopped();
        this.stats.recordError(err, Date.now());
        if (err instanceof ChunkTooLargeError) {
          const halves = chunk.count < 2 ? splitRecordChunk(chunk) : splitChunk(chunk);
          if (halves === undefined) throw tooLargeError(chunk, err);
          await this.deliver(halves[0]);
          await this.deliver(halves[1]);
          return;
        }
        if (err instanceof LogpodError && !err.retryable) throw err;
        await this.waitBeforeRetry(err, attempt, chunk);
        continue;
      }
      this.stats.latency.observe(performance.now() - began);
      return this.succeed(chunk);
    }
  }

  private async waitBeforeRetry(err: unknown, attempt: number, chunk: Chunk): Promise<void> {
    const delay = backoffDelay(attempt, this.backoff);
    this.failingSince ??= Date.now();
    this.warnings.warn(
      'kafka-send',
      {
        err,
        brokers: this.options.brokers,
        topics: chunk.topics,
        retryInMs: delay,
        bufferedBytes: this.queue.bufferedBytes,
      },
      'cannot deliver events to Kafka; they are kept and sent again (reading pauses while the buffer is full)',
    );
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.sleepers.add(wake);
    });
  }

  private succeed(chunk: Chunk): void {
    const stats = this.stats;
    if (chunk.count > 0) {
      stats.messagesSent += chunk.count;
      stats.bytesSent += chunk.bytes;
    }
    if (this.failingSince !== undefined) {
      this.logger.info({ downMs: Date.now() - this.failingSince }, 'Kafka takes events again');
      this.failingSince = undefined;
    }
    for (const segment of this.queue.complete(chunk)) {
      try {
        segment.ack();
      } catch (err) {
        this.logger.error({ err }, 'acknowledging a batch failed');
      }
    }
    stats.bufferedBytes = this.queue.bufferedBytes;
    this.admitWaiting();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.logger.error({ err }, 'the Kafka output cannot go on');
    for (const waiter of this.roomWaiters.splice(0)) waiter.reject(err);
    for (const waiter of this.flushWaiters.splice(0)) waiter.reject(err);
    this.stop();
  }
}

function closedError(): LogpodError {
  return new LogpodError(ErrorCodes.OUTPUT_WRITE, 'the Kafka output is closed', {
    retryable: false,
  });
}

function tooLargeError(chunk: Chunk, cause: ChunkTooLargeError): LogpodError {
  return new LogpodError(
    ErrorCodes.OUTPUT_WRITE,
    `Kafka refuses an event of about ${chunk.bytes} bytes as too large (broker message.max.bytes, ` +
      'topic max.message.bytes): raise that limit or lower max_line_bytes',
    { cause: cause.cause, retryable: false },
  );
}
