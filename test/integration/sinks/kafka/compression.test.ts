// Every compression logpod offers, through a real broker: a consumer reads back
// exactly the events written (kafkajs decompresses), and a topic whose broker
// side is uncompressed makes Kafka's own Java code decode our batches.

import t from 'tap';
import type { KafkaCompression } from '../../../../src/config/types.js';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { createTopic, deleteTopic } from '../../../services/index.js';
import {
  createTopicWith,
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

// kafkajs's negative timer (src/sinks/kafka/request-queue-timer.ts): a real
// sink, every codec, and not one process warning.
const warnings: string[] = [];
process.on('warning', (w) => {
  if (w.name.startsWith('Timeout')) warnings.push(`${w.name}: ${w.message}`);
});

const CODECS: KafkaCompression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const EVENTS = 1200;

const CASES = CODECS.flatMap((c) => [
  [c, 'producer'],
  [c, 'uncompressed'],
]) as [KafkaCompression, string][];

// gzip at the ends of its level range too, decoded by Kafka's own code.
const GZIP_LEVELS: [KafkaCompression, string, number][] = [
  ['gzip', 'uncompressed', 1],
  ['gzip', 'uncompressed', 9],
];

for (const [compression, brokerSide, gzipLevel] of [
  ...CASES.map(([c, b]): [KafkaCompression, string, number] => [c, b, 3]),
  ...GZIP_LEVELS,
]) {
  const level = compression === 'gzip' ? ` (level ${gzipLevel})` : '';
  const name = `compression ${compression}${level}, topic compression.type ${brokerSide}: consumed back`;
  t.test(name, { skip: noKafka }, async (t) => {
    const topic = uniqueName(`codec-${compression}-${gzipLevel}-${brokerSide}`);
    if (brokerSide === 'producer') await createTopic(topic, 1);
    else await createTopicWith(topic, { 'compression.type': brokerSide });
    t.teardown(() => deleteTopic(topic));
    const { logger } = memoryLogger();
    // Batches of about 90 KiB: more than one 64 KiB LZ4 block, so multi-block frames are covered.
    const sink = new KafkaSink(
      sinkConfig(topic, { compression, gzip_level: gzipLevel, batch_bytes: 256 * 1024 }),
      logger,
    );
    await sink.start();
    t.teardown(() => sink.close());
    const acks = new Map<string, number>();
    for (let from = 0; from < EVENTS; from += 400)
      await sink.write(fileBatch('codec.log', from, from + 400, acks));
    await sink.flush();
    t.equal(acks.size, 3, 'every batch acknowledged');
    const read = await readTopic(topic, EVENTS);
    t.same(sequencesByKey(read).get('src-codec.log'), range(0, EVENTS));
    t.equal(await topicSize(topic), EVENTS);
  });
}

t.test(
  'no process warning while producing (TimeoutNegativeWarning on Node 24+)',
  { skip: noKafka },
  async (t) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    t.same(warnings, []);
  },
);
