// The writer's Kafka consumer: a consumer group member that hands messages, in
// chunks bounded by events and bytes (a packed record counts its events), to a
// `deliver` function and commits a partition's offset only over chunks deliver
// has settled, contiguously, so a record is committed only once every one of
// its events settled. Auto
// commit is off. While a chunk waits (Elasticsearch down), heartbeats keep the
// membership; on stop, no new chunk starts and in-flight ones get a deadline.

import kafkajs from 'kafkajs';
import type { Consumer, EachBatchPayload, KafkaConfig, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../logger.js';
import type { PartitionRecord } from '../../topic/partition-record.js';
// Registers lz4, snappy and zstd: records of any codec the agent may use decode.
import '../../topic/kafka-codecs.js';
import { OffsetTracker, nextOffset } from './offset-tracker.js';
import { eventCount, isPacked } from './record-format.js';

const { Kafka, logLevel } = kafkajs;

/** Resolves once every record is settled; rejects only when `signal` aborts. */
export type Deliver = (records: PartitionRecord[], signal: AbortSignal) => Promise<void>;

export interface ConsumerOptions {
  client: KafkaConfig;
  topic: string;
  groupId: string;
  fromBeginning: boolean;
  sessionTimeoutMs: number;
  batchMaxEvents: number;
  batchMaxBytes: number;
  batchMaxWaitMs: number;
  /** Chunks being delivered at once, over all partitions. */
  maxInFlight: number;
}

export interface ConsumerProgress {
  /** Last committed offset (the next to read) per "topic/partition". */
  readonly committed: Map<string, string>;
  /** Lag per "topic/partition" as of the last fetched batch. */
  readonly lag: Map<string, number>;
}

export class KafkaBatchConsumer implements ConsumerProgress {
  readonly committed = new Map<string, string>();
  readonly lag = new Map<string, number>();
  private readonly consumer: Consumer;
  private readonly abort = new AbortController();
  private stopping = false;
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];

  constructor(
    private readonly options: ConsumerOptions,
    private readonly deliver: Deliver,
    private readonly logger: Logger,
  ) {
    const kafka = new Kafka({ ...options.client, logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      // A fetch answers as soon as anything is there: a 1 MiB minimum held documents back
      // for up to batch_max_wait at moderate rates (p99 line-to-searchable 2.5 s at 2,000
      // lines/s); under load the batches are big anyway, since the topic fills meanwhile.
      maxWaitTimeInMs: Math.max(10, options.batchMaxWaitMs),
      minBytes: 1,
      maxBytesPerPartition: Math.max(options.batchMaxBytes, 1024 * 1024),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.options.topic,
      fromBeginning: this.options.fromBeginning,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.maxInFlight,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /**
   * Stops taking new chunks, gives in-flight ones until `deadlineMs` to settle (then aborts
   * them: their offsets stay uncommitted), commits what settled, leaves the group.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const timer = setTimeout(() => this.abort.abort(new Error('shutdown deadline')), deadlineMs);
    try {
      await this.consumer.disconnect();
    } finally {
      clearTimeout(timer);
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const key = `${batch.topic}/${batch.partition}`;
    this.lag.set(key, Number(batch.offsetLag()));
    const tracker = new OffsetTracker();
    let commits = Promise.resolve();
    let failed = false;
    const commitSettled = () => {
      const last = tracker.takeCommittable();
      if (last === undefined) return;
      resolveOffset(last);
      const offset = nextOffset(last);
      commits = commits.then(() => this.commit(batch.topic, batch.partition, offset, key));
    };
    const beat = setInterval(() => {
      heartbeat().catch((err: Error) =>
        this.logger.debug({ err, partition: key }, 'heartbeat failed (rebalance?)'),
      );
    }, 1000);
    const running = new Set<Promise<void>>();
    try {
      for (const records of chunks(batch.messages, batch.topic, batch.partition, this.options)) {
        if (this.stopping || failed || !isRunning() || isStale()) break;
        await this.takeSlot();
        const chunk = tracker.add(records[records.length - 1].offset);
        const p = this.deliver(records, this.abort.signal).then(
          () => {
            tracker.settle(chunk);
            commitSettled();
          },
          (err: Error) => {
            failed = true;
            this.logger.warn({ err, partition: key }, 'delivery stopped; offsets stay uncommitted');
          },
        );
        const tracked = p.finally(() => {
          this.releaseSlot();
          running.delete(tracked);
        });
        running.add(tracked);
      }
      await Promise.all(running);
      await commits;
    } finally {
      clearInterval(beat);
    }
  }

  private async commit(
    topic: string,
    partition: number,
    offset: string,
    key: string,
  ): Promise<void> {
    try {
      await this.consumer.commitOffsets([{ topic, partition, offset }]);
      this.committed.set(key, offset);
    } catch (err) {
      // A rebalance moved the partition: its new owner re-reads from the last commit,
      // and the documents it sends again are answered 409 (duplicates, not copies).
      this.logger.warn({ err, partition: key, offset }, 'offset commit failed');
    }
  }

  private takeSlot(): Promise<void> {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift();
    if (next !== undefined) next();
    else this.inFlight--;
  }
}

/**
 * Splits a fetched batch into chunks of about batchMaxEvents events and at most
 * batchMaxBytes value bytes (a record is never cut: one record may exceed them alone).
 */
export function* chunks(
  messages: KafkaMessage[],
  topic: string,
  partition: number,
  limits: { batchMaxEvents: number; batchMaxBytes: number },
): Generator<PartitionRecord[]> {
  let current: PartitionRecord[] = [];
  let bytes = 0;
  let events = 0;
  for (const m of messages) {
    const size = m.value?.length ?? 0;
    const packed = isPacked(m.headers);
    const count = eventCount(packed, m.headers, m.value);
    if (
      current.length > 0 &&
      (events + count > limits.batchMaxEvents || bytes + size > limits.batchMaxBytes)
    ) {
      yield current;
      current = [];
      bytes = 0;
      events = 0;
    }
    current.push({
      topic,
      partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      timestamp: Number(m.timestamp),
      packed,
    });
    bytes += size;
    events += count;
  }
  if (current.length > 0) yield current;
}
