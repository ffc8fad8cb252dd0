// Shared by the writer's integration tests: a unique name per test, events
// produced as the agent produces them (key = source id, value = event JSON),
// a writer config, and counts read back from Elasticsearch.

import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
// Reads back records of any codec (lz4, snappy, zstd) as the writer does.
import '../../../src/topic/kafka-codecs.js';
import { Client } from '@elastic/elasticsearch';
import { buildConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import { createLogger } from '../../../src/logger.js';
import { elasticsearchUrl, kafkaBrokers, servicesAvailable } from '../../services/index.js';

export const logger = createLogger('silent');

export function skipReason(): string | false {
  const s = servicesAvailable();
  if (!s.kafka || !s.elasticsearch) {
    return 'Kafka and Elasticsearch test services are not running (node test/services/services.js start all)';
  }
  return false;
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export function makeEvent(
  i: number,
  source = 'src-a',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    '@timestamp': new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + i).toISOString(),
    source: { ip: `10.0.${(i >> 8) & 255}.${i & 255}` },
    url: { original: `/page/${i}?q=${i}` },
    http: { request: { method: 'GET' }, response: { status_code: 200, body: { bytes: 100 + i } } },
    event: { id: `${source}-${i}`, dataset: 'nginx.access', original: `line ${i}`, duration: 1000 },
    ...extra,
  };
}

export async function produce(
  topic: string,
  messages: { key: string; value: string }[],
): Promise<void> {
  const kafka = new kafkajs.Kafka({
    brokers: [kafkaBrokers()],
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
    }
  } finally {
    await producer.disconnect();
  }
}

export function eventMessages(n: number, from = 0): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (let i = from; i < from + n; i++) {
    const source = `src-${i % 3}`;
    out.push({ key: source, value: JSON.stringify(makeEvent(i, source)) });
  }
  return out;
}

export interface WriterSetup {
  topic: string;
  group: string;
  dataStream: string;
  dlq: string;
}

/** A fresh topic, group, data stream (logs-{{dataset}}-<ns>) and dead-letter topic for one test. */
export function newWriterSetup(topicPrefix = 'events-'): WriterSetup & { ns: string } {
  const topic = uniqueName(topicPrefix);
  const ns = uniqueName('t');
  return {
    topic,
    ns,
    group: uniqueName('g-'),
    dataStream: `logs-{{dataset}}-${ns}`,
    dlq: `${topic}-dlq`,
  };
}

export function writerRaw(
  s: WriterSetup,
  es: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    data_dir: '/tmp',
    writer: {
      kafka: {
        brokers: [kafkaBrokers()],
        topic: s.topic,
        group_id: s.group,
        dead_letter_topic: s.dlq,
        session_timeout: '10s',
      },
    },
    output: {
      elasticsearch: {
        hosts: [elasticsearchUrl()],
        data_stream: s.dataStream,
        template: { replicas: 0, refresh_interval: '1s' },
        batch_max_events: 200,
        batch_max_wait: '100ms',
        retry_initial_backoff: '100ms',
        retry_max_backoff: '2s',
        request_timeout: '5s',
        ...es,
      },
    },
    server: { enabled: false },
    shutdown: { timeout: '10s' },
  };
}

export function writerConfig(s: WriterSetup, es: Record<string, unknown> = {}): Config {
  return buildConfig(writerRaw(s, es), 'test');
}

export function esClient(): Client {
  return new Client({ node: elasticsearchUrl(), maxRetries: 0, requestTimeout: 10_000 });
}

/**
 * Documents in the targets matching `pattern`, after a refresh; 0 when none exist yet,
 * and 0 while a just-created index has no shard ready to search (no_shard_available).
 */
export async function countDocs(client: Client, pattern: string): Promise<number> {
  const lenient = { index: pattern, ignore_unavailable: true, allow_no_indices: true };
  try {
    await client.indices.refresh(lenient);
    return (await client.count(lenient)).count;
  } catch (err) {
    if (/no_shard_available/.test(String((err as Error).message))) return 0;
    throw err;
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every message of a topic, read from the beginning by a throwaway group. */
export async function readTopic(
  topic: string,
  expected: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  const kafka = new kafkajs.Kafka({
    brokers: [kafkaBrokers()],
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: uniqueName('reader-') });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ''),
  });
  try {
    await waitFor(`${expected} messages in ${topic}`, () => values.length >= expected, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
  return values;
}
