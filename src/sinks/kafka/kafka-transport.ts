// The network side of the Kafka output: one kafkajs client, its producer (made
// again with a new producer id when the broker forgets the old one) and an admin
// client that checks a topic exists before the first send to it, so a missing
// topic is a clear error naming it rather than silent retries. Refusals (missing
// topic, credentials, TLS) are retried like an outage, never fatal: the current
// one is kept for /status, /readyz and metrics, and logged when it starts and ends.

import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient, Producer } from 'kafkajs';
import type { KafkaOutputConfig } from '../../config/types.js';
import { ErrorCodes, LogpodError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  KAFKAJS_RETRY,
  kafkaClientOptions,
  producerOptions,
  type SendSettings,
} from './client-options.js';
import { classifyKafkaError, rootMessage } from './kafka-errors.js';
import { explainRefusal, RefusalTracker, type KafkaRefusal } from './kafka-refusal.js';
import { kafkajsLogCreator } from './kafkajs-log.js';
import type { Chunk } from './send-queue.js';
import { ChunkTooLargeError, type ChunkTransport } from './sender.js';
import { useGzipLevel } from '../../topic/kafka-codecs.js';

const { Kafka, logLevel } = kafkajs;

export class KafkaTransport implements ChunkTransport {
  readonly brokers: string;
  private readonly kafka: KafkaClient;
  private producer: Producer | undefined;
  private producerReady = false;
  private connecting: Promise<Producer> | undefined;
  private admin: Admin | undefined;
  private adminReady: Promise<Admin> | undefined;
  /** Topics known to exist (checked only while auto-creation is off). */
  private readonly verified = new Set<string>();
  private closed = false;
  private readonly refusals: RefusalTracker;

  constructor(
    private readonly config: KafkaOutputConfig,
    private readonly settings: SendSettings,
    private readonly logger: Logger,
  ) {
    this.brokers = config.brokers.join(',');
    useGzipLevel(config.gzip_level);
    this.kafka = new Kafka({
      ...kafkaClientOptions(config),
      retry: KAFKAJS_RETRY,
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(logger),
    });
    this.refusals = new RefusalTracker((now, was) => {
      if (now !== undefined) {
        this.logger.error(
          { code: now.code, reason: now.reason, brokers: this.brokers, err: now.message },
          `Kafka refuses logpod (${now.code}): ${now.message}. Retrying with backoff; ` +
            'nothing is acknowledged meanwhile, the log files keep the lines',
        );
      } else if (was !== undefined) {
        this.logger.info(
          { reason: was.reason, refusedMs: Date.now() - was.since },
          'Kafka accepts logpod again',
        );
      }
    });
  }

  /** Kafka answers but refuses (topic, credentials, TLS); undefined when it does not. */
  get refusal(): KafkaRefusal | undefined {
    return this.refusals.refusal;
  }

  /**
   * Connects and checks a topic known in advance. Never fails for Kafka's sake: an
   * unreachable broker is waited for, a refusal is reported and retried by the sends.
   */
  async start(fixedTopic: string | undefined): Promise<void> {
    try {
      await this.connectProducer();
      if (fixedTopic !== undefined) await this.checkTopics([fixedTopic]);
    } catch (err) {
      if (err instanceof LogpodError && !err.retryable) throw err;
      const explained = explainRefusal(err, this.brokers);
      if (this.refusals.failed(explained)) return;
      this.logger.warn(
        { err, brokers: this.brokers },
        'cannot reach Kafka yet; events wait and are sent once it answers',
      );
    }
  }

  async deliver(chunk: Chunk): Promise<void> {
    try {
      const producer = await this.connectProducer();
      await this.checkTopics(chunk.topics);
      try {
        await producer.sendBatch({
          topicMessages: chunk.topicMessages,
          acks: this.settings.acks,
          compression: this.settings.compression,
          timeout: this.settings.timeout,
        });
      } catch (err) {
        throw await this.explain(err, chunk);
      }
    } catch (err) {
      const explained = explainRefusal(err, this.brokers);
      this.refusals.failed(explained);
      throw explained;
    }
    this.refusals.succeeded();
  }

  async close(): Promise<void> {
    this.closed = true;
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.allSettled([producer?.disconnect(), admin?.disconnect()]);
  }

  /** What a failed send should turn into for the sender: retryable errors are rethrown as they are. */
  private async explain(err: unknown, chunk: Chunk): Promise<unknown> {
    switch (classifyKafkaError(err)) {
      case 'too-large':
        return new ChunkTooLargeError(err);
      case 'topic-unknown':
        // Deleted since it was checked? The next attempt checks again.
        for (const topic of chunk.topics) this.verified.delete(topic);
        return err;
      case 'reset-producer':
        this.logger.warn({ err }, 'Kafka dropped the producer id; starting a new producer');
        await this.resetProducer();
        return err;
      case 'fatal':
        return new LogpodError(
          ErrorCodes.OUTPUT_WRITE,
          `Kafka at ${this.brokers} refuses the events (topics ${chunk.topics.join(', ')}): ${rootMessage(err)}`,
          { cause: err, retryable: false },
        );
      default:
        return err;
    }
  }

  private connectProducer(): Promise<Producer> {
    if (this.producer !== undefined && this.producerReady) return Promise.resolve(this.producer);
    this.connecting ??= this.openProducer().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async openProducer(): Promise<Producer> {
    if (this.closed) throw new LogpodError(ErrorCodes.OUTPUT_WRITE, 'the Kafka output is closed');
    const producer = (this.producer ??= this.kafka.producer(
      producerOptions(this.config, this.settings),
    ));
    await producer.connect();
    if (this.producer !== producer)
      throw new Error('the Kafka producer was replaced while connecting');
    this.producerReady = true;
    return producer;
  }

  private async resetProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    this.producerReady = false;
    await old?.disconnect().catch(() => {});
  }

  private async checkTopics(topics: readonly string[]): Promise<void> {
    if (this.config.allow_auto_topic_creation) return;
    for (const topic of topics) {
      if (this.verified.has(topic)) continue;
      const admin = await this.connectAdmin();
      try {
        await admin.fetchTopicMetadata({ topics: [topic] });
      } catch (err) {
        if (classifyKafkaError(err) !== 'topic-unknown') throw err;
        throw new LogpodError(
          ErrorCodes.KAFKA_TOPIC_MISSING,
          `Kafka topic "${topic}" does not exist on ${this.brokers} and output.kafka.allow_auto_topic_creation ` +
            'is false: create the topic (or allow auto-creation)',
          { cause: err, retryable: true },
        );
      }
      this.verified.add(topic);
    }
  }

  private connectAdmin(): Promise<Admin> {
    if (this.closed)
      return Promise.reject(new LogpodError(ErrorCodes.OUTPUT_WRITE, 'the Kafka output is closed'));
    this.adminReady ??= (async () => {
      const admin = (this.admin ??= this.kafka.admin({ retry: KAFKAJS_RETRY }));
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.adminReady = undefined;
      throw err;
    });
    return this.adminReady;
  }
}
