// The agent's Kafka output. A batch's events become records (NDJSON of many
// events, or one event each: see record-packer.ts): key = the file's identity
// (one file stays in one partition, in order), headers = schema version,
// content type and, packed, the event count. write() resolves once the batch
// is buffered (pending = backpressure); the batch is acknowledged only after
// Kafka acknowledged every record holding its events. Nothing accepted is dropped.
// A Kafka that refuses (missing topic, credentials, TLS) is retried, never fatal.

import type { EventBatch, Sink } from '../../pipeline/batch.js';
import type { KafkaOutputConfig } from '../../config/types.js';
import type { Logger } from '../../logger.js';
import { RateLimitedLog } from '../../support/rate-limited-log.js';
import { ErrorCodes, LogpodError } from '../../errors.js';
import { sendSettings } from './client-options.js';
import { KafkaTransport } from './kafka-transport.js';
import type { KafkaRefusal } from './kafka-refusal.js';
import { MESSAGE_OVERHEAD_BYTES } from './message-headers.js';
import {
  NDJSON_OVERHEAD_BYTES,
  NdjsonPacker,
  SingleEventPacker,
  type RecordPacker,
} from './record-packer.js';
import { newSegment } from './send-queue.js';
import { Sender } from './sender.js';
import type { KafkaSinkStats } from './stats.js';
import { TopicTemplate } from './topic-template.js';

export interface KafkaSinkOptions {
  /** write() waits while more than this many bytes are buffered; output.kafka.max_buffered_bytes by default. */
  maxBufferedBytes?: number;
}

export class KafkaSink implements Sink {
  readonly name = 'kafka';
  private readonly topics: TopicTemplate;
  private readonly transport: KafkaTransport;
  private readonly sender: Sender;
  private readonly packer: RecordPacker;
  /** Counted bytes of a record besides key and value. */
  private readonly recordOverhead: number;
  private closed = false;

  constructor(config: KafkaOutputConfig, logger: Logger, opts: KafkaSinkOptions = {}) {
    const settings = sendSettings(config);
    this.topics = new TopicTemplate(config.topic);
    if (config.packing === 'ndjson') {
      this.packer = new NdjsonPacker(config.record_max_bytes);
      this.recordOverhead = NDJSON_OVERHEAD_BYTES;
    } else {
      this.packer = new SingleEventPacker();
      this.recordOverhead = MESSAGE_OVERHEAD_BYTES;
    }
    this.transport = new KafkaTransport(config, settings, logger);
    this.sender = new Sender(
      this.transport,
      {
        batchBytes: config.batch_bytes,
        lingerMs: config.linger,
        maxInFlight: settings.maxInFlight,
        maxBufferedBytes: opts.maxBufferedBytes ?? config.max_buffered_bytes,
        brokers: this.transport.brokers,
        holdBack: () => this.transport.refusal !== undefined,
      },
      logger,
      new RateLimitedLog(logger),
    );
  }

  /** Counters for metrics; read, never written, by others. */
  get stats(): KafkaSinkStats {
    return this.sender.stats;
  }

  /** The error that stopped the output for good (also what write() and flush() reject with). */
  get failure(): Error | undefined {
    return this.sender.failed;
  }

  /** Set while Kafka answers but refuses (missing topic, credentials, TLS); sends keep retrying. */
  refusal(): KafkaRefusal | undefined {
    return this.transport.refusal;
  }

  /** For liveness: retrying against an unreachable Kafka is waiting, not being wedged. */
  state(): 'idle' | 'working' | 'waiting' {
    if (this.sender.retrying) return 'waiting';
    const stats = this.sender.stats;
    return stats.inFlight > 0 || stats.bufferedBytes > 0 ? 'working' : 'idle';
  }

  async start(): Promise<void> {
    await this.transport.start(this.topics.fixed);
  }

  write(batch: EventBatch): Promise<void> {
    const failure = this.sender.failed;
    if (failure) return Promise.reject(failure);
    if (this.closed) {
      return Promise.reject(
        new LogpodError(ErrorCodes.OUTPUT_WRITE, 'the Kafka output is closed', {
          retryable: false,
        }),
      );
    }
    const origin = batch.origin;
    let topic: string;
    try {
      topic = this.topics.resolve(origin);
    } catch (err) {
      return Promise.reject(err);
    }
    const key = origin === undefined ? null : origin.sourceId;
    const keyBytes = key === null ? 0 : Buffer.byteLength(key);
    const messages = this.packer.pack(batch.events, key);
    const segment = newSegment(
      topic,
      key ?? '',
      messages,
      keyBytes + this.recordOverhead,
      batch.ack,
    );
    return this.sender.enqueue(segment);
  }

  flush(): Promise<void> {
    return this.sender.flush();
  }

  /** Stops sending and disconnects. Batches not yet acknowledged stay unacknowledged (read again next run). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sender.stop();
    await this.transport.close();
    await this.sender.settled();
  }
}
