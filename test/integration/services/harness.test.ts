// Smoke test of the test services harness: Kafka carries a message from producer to
// consumer, Elasticsearch indexes and finds a document, and a message written before a
// Kafka stop/start is still there after it (the restart keeps data).
import t from 'tap';
import kafkajs from 'kafkajs';
import { Client } from '@elastic/elasticsearch';
import {
  createTopic,
  deleteTopic,
  elasticsearchUrl,
  kafkaBrokers,
  servicesAvailable,
  startKafka,
  stopKafka,
} from '../../services/index.js';

const { Kafka, logLevel } = kafkajs;
const available = servicesAvailable();
const HOW =
  'run `node test/services/services.js start all`, or set LOGPOD_TEST_KAFKA / LOGPOD_TEST_ES';
const noKafka = available.kafka ? false : `Kafka is not available: ${HOW}`;
const noEs = available.elasticsearch ? false : `Elasticsearch is not available: ${HOW}`;
const externalKafka = process.env.LOGPOD_TEST_KAFKA
  ? 'LOGPOD_TEST_KAFKA names a broker the harness does not own: it cannot restart it'
  : false;

const unique = (what: string) => `harness-${what}-${process.pid}-${Date.now()}`;

function kafka() {
  return new Kafka({
    clientId: 'harness-test',
    brokers: [kafkaBrokers()],
    logLevel: logLevel.NOTHING,
  });
}

async function produce(topic: string, key: string, value: string) {
  const producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  } finally {
    await producer.disconnect();
  }
}

/** Reads the topic from the beginning with a fresh group until `count` messages came. */
async function consume(topic: string, count: number, timeoutMs = 60_000) {
  const consumer = kafka().consumer({ groupId: unique('group') });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`got ${values.length} of ${count} messages`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

t.test('Kafka: a produced message is consumed', { skip: noKafka }, async (t) => {
  const topic = unique('roundtrip');
  await createTopic(topic, 1);
  t.teardown(() => deleteTopic(topic));
  await produce(topic, 'k1', 'hello through kafka');
  t.same(await consume(topic, 1), ['hello through kafka']);
});

t.test('Kafka: a topic can be deleted', { skip: noKafka }, async (t) => {
  const topic = unique('delete');
  await createTopic(topic, 2);
  const admin = kafka().admin();
  await admin.connect();
  t.teardown(() => admin.disconnect());
  const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  t.equal(meta.partitions.length, 2, 'created with the partitions asked for');
  await deleteTopic(topic);
  t.notOk((await admin.listTopics()).includes(topic), 'no longer listed');
});

t.test(
  'Kafka: a message written before a restart is read after it',
  { skip: noKafka || externalKafka },
  async (t) => {
    const topic = unique('restart');
    await createTopic(topic, 1);
    t.teardown(() => deleteTopic(topic));
    await produce(topic, 'k1', 'written before the restart');
    await stopKafka();
    const admin = kafka().admin({ retry: { retries: 0 } });
    await t.rejects(admin.connect(), 'the broker is down while stopped');
    await admin.disconnect().catch(() => {});
    await startKafka();
    await produce(topic, 'k2', 'written after the restart');
    t.same(await consume(topic, 2), ['written before the restart', 'written after the restart']);
  },
);

t.test('Elasticsearch: a document is indexed and found', { skip: noEs }, async (t) => {
  const client = new Client({ node: elasticsearchUrl() });
  const index = unique('docs');
  t.teardown(async () => {
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  });
  const info = await client.info();
  t.match(info.version.number, /^8\./, 'an Elasticsearch 8 node');
  await client.index({
    index,
    id: 'doc-1',
    document: { message: 'hello elasticsearch' },
    refresh: true,
  });
  const found = await client.search<{ message: string }>({
    index,
    query: { match: { message: 'hello' } },
  });
  t.same(
    found.hits.hits.map((h) => [h._id, h._source?.message]),
    [['doc-1', 'hello elasticsearch']],
  );
});
