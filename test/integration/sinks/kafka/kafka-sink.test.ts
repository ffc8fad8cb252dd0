// The Kafka sink against a real broker: numbered events of several files arrive
// exactly once, in order per file, keyed by the file and with logpod's headers;
// every batch is acknowledged once; a templated topic is resolved per input.

import t from 'tap';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { createTopic, deleteTopic } from '../../../services/index.js';
import {
  fileBatch,
  memoryLogger,
  noKafka,
  range,
  readTopic,
  sequencesByKey,
  sinkConfig,
  topicSize,
  uniqueName,
} from '../../../fixtures/sinks/kafka/kafka-test-kit.js';

t.test(
  'numbered events arrive once, in order per file, with key and headers',
  { skip: noKafka },
  async (t) => {
    const topic = uniqueName('order');
    await createTopic(topic, 3);
    t.teardown(() => deleteTopic(topic));
    const { logger } = memoryLogger();
    const sink = new KafkaSink(sinkConfig(topic, { batch_bytes: 16 * 1024 }), logger);
    await sink.start();
    t.teardown(() => sink.close());

    const files = ['a.log', 'b.log', 'c.log'];
    const perFile = 1500;
    const perBatch = 70;
    const acks = new Map<string, number>();
    let batches = 0;
    for (let from = 0; from < perFile; from += perBatch) {
      for (const file of files) {
        await sink.write(fileBatch(file, from, Math.min(from + perBatch, perFile), acks));
        batches++;
      }
    }
    await sink.flush();

    t.equal(acks.size, batches, 'every batch is acknowledged');
    t.ok(
      [...acks.values()].every((n) => n === 1),
      'each exactly once',
    );
    const total = files.length * perFile;
    t.equal(sink.stats.messagesSent, total);
    t.equal(sink.stats.bufferedBytes, 0);
    t.equal(sink.stats.inFlight, 0);
    t.ok(sink.stats.latency.count > 1, 'events went in several sends, each with a latency sample');

    const read = await readTopic(topic, total);
    t.equal(await topicSize(topic), total, 'the topic holds each event once');
    const byKey = sequencesByKey(read);
    t.same(
      [...byKey.keys()].sort(),
      ['src-a.log', 'src-b.log', 'src-c.log'],
      'key = the file identity',
    );
    for (const [key, seqs] of byKey)
      t.same(seqs, range(0, perFile), `${key}: all events, in order`);
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const m of read) {
      const set = partitionsOfKey.get(m.key ?? '') ?? new Set<number>();
      set.add(m.partition);
      partitionsOfKey.set(m.key ?? '', set);
    }
    t.ok(
      [...partitionsOfKey.values()].every((s) => s.size === 1),
      'one file stays in one partition',
    );
    t.same(read[0].headers, { 'logpod-schema': '1', 'content-type': 'application/json' });
    t.ok(
      read.every((m) => m.headers['logpod-schema'] === '1'),
      'every message carries the schema header',
    );
    const first = JSON.parse(read.find((m) => m.key === 'src-a.log')!.value) as Record<
      string,
      unknown
    >;
    t.match(
      first,
      { event: { original: 'a.log line 0', id: 'a.log-0' }, seq: 0 },
      'the value is the event JSON',
    );
  },
);

t.test('a templated topic is resolved from each batch origin', { skip: noKafka }, async (t) => {
  const base = uniqueName('tpl');
  const accessTopic = `${base}-web-main`;
  const errorTopic = `${base}-errors-error`;
  await createTopic(accessTopic, 1);
  await createTopic(errorTopic, 1);
  t.teardown(async () => {
    await deleteTopic(accessTopic);
    await deleteTopic(errorTopic);
  });
  const { logger } = memoryLogger();
  const sink = new KafkaSink(
    sinkConfig(`${base}-{{input}}-{{format}}`, { compression: 'none' }),
    logger,
  );
  await sink.start();
  t.teardown(() => sink.close());
  const acks = new Map<string, number>();
  await sink.write(fileBatch('access.log', 0, 10, acks, 'main', 'web'));
  await sink.write(fileBatch('error.log', 0, 4, acks, 'error', 'errors'));
  await sink.write(fileBatch('access.log', 10, 20, acks, 'main', 'web'));
  await sink.flush();
  t.equal(acks.size, 3);
  t.same(sequencesByKey(await readTopic(accessTopic, 20)).get('src-access.log'), range(0, 20));
  t.same(sequencesByKey(await readTopic(errorTopic, 4)).get('src-error.log'), range(0, 4));
  t.equal(await topicSize(accessTopic), 20);
  t.equal(await topicSize(errorTopic), 4);
});

t.test(
  'without idempotence, several sends in flight keep each file in order',
  { skip: noKafka },
  async (t) => {
    const topic = uniqueName('inflight');
    await createTopic(topic, 2);
    t.teardown(() => deleteTopic(topic));
    const { logger } = memoryLogger();
    const config = sinkConfig(topic, {
      idempotent: false,
      acks: 'leader',
      batch_bytes: 4096,
      linger: 0,
    });
    const sink = new KafkaSink(config, logger, { maxBufferedBytes: 1024 * 1024 });
    await sink.start();
    t.teardown(() => sink.close());
    const acks = new Map<string, number>();
    const files = ['x.log', 'y.log', 'z.log', 'w.log'];
    for (let from = 0; from < 400; from += 20) {
      await Promise.all(files.map((f) => sink.write(fileBatch(f, from, from + 20, acks))));
    }
    await sink.flush();
    t.equal(acks.size, 80);
    const byKey = sequencesByKey(await readTopic(topic, 1600));
    for (const file of files) t.same(byKey.get(`src-${file}`), range(0, 400), `${file} in order`);
  },
);
