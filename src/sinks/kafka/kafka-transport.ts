// The network side of the Kafka output: one kafkajs client, its producer (made
// again with a new producer id when the broker forgets the old one) and an admin
// client that checks a topic exists before the first send to it, so a missing
// topic is a clear error at once rather than retries that never end.

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
  }

  /**
   * Connects and checks a topic known in advance. Kafka being unreachable is not an
   * error here (sends wait for it); a missing topic or refused credentials are.
   */
  async start(fixedTopic: string | undefined): Promise<void> {
    try {
      await this.connectProducer();
      if (fixedTopic !== undefined) await this.checkTopics([fixedTopic]);
    } catch (err) {
      if (err instanceof LogpodError && !err.retryable) throw err;
      const failure = classifyKafkaError(err);
      if (failure === 'auth-failed' || failure === 'not-authorized') {
        const what =
          failure === 'auth-failed'
            ? "refused logpod's credentials (output.kafka.sasl)"
            : 'denied access';
        throw new LogpodError(
          ErrorCodes.KAFKA_AUTH_FAILED,
          `Kafka at ${this.brokers} ${what}: ${rootMessage(err)}`,
          {
            cause: err,
            retryable: false,
          },
        );
      }
      this.logger.warn(
        { err, brokers: this.brokers },
        'cannot reach Kafka yet; events wait and are sent once it answers',
      );
    }
  }

  async deliver(chunk: Chunk): Promise<void> {
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
          { cause: err, retryable: false },
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
