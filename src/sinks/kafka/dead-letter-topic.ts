// The writer's dead-letter topic: messages that could not become documents
// (not JSON) and documents Elasticsearch rejected (mapping, parse), each with
// the error, the original event and where it came from. A send is retried
// until Kafka takes it, since its offset is committed only afterwards.

import kafkajs from 'kafkajs';
import type { KafkaConfig, Message, Producer } from 'kafkajs';
import type { Logger } from '../../logger.js';
import type { RejectedRecord } from '../../topic/partition-record.js';
import { RateLimitedLog } from '../../support/rate-limited-log.js';

const { Kafka, logLevel } = kafkajs;

/** The dead-letter message: key kept, value {error, event, topic, partition, offset}. */
export function deadLetterMessage(entry: RejectedRecord): Message {
  let event: unknown = entry.value;
  if (entry.value !== null) {
    try {
      event = JSON.parse(entry.value);
    } catch {
      event = entry.value;
    }
  }
  const value = JSON.stringify({
    error: entry.error,
    event,
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
  });
  return { key: entry.key, value };
}

export class DeadLetterTopic {
  private readonly producer: Producer;
  private readonly warnings: RateLimitedLog;

  constructor(
    client: KafkaConfig,
    readonly topic: string,
    logger: Logger,
  ) {
    const kafka = new Kafka({ ...client, logLevel: logLevel.NOTHING });
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    this.warnings = new RateLimitedLog(logger, 10_000);
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** Resolves once Kafka has every entry (acks: all); rejects only when `signal` aborts. */
  async send(
    entries: RejectedRecord[],
    signal: AbortSignal,
    backoffMs: (attempt: number) => number,
  ): Promise<void> {
    if (entries.length === 0) return;
    const messages = entries.map(deadLetterMessage);
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages });
        return;
      } catch (err) {
        this.warnings.warn('dlq', { err, topic: this.topic }, 'dead-letter send failed; retrying');
        await abortableWait(backoffMs(attempt), signal);
      }
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
