// Packed records against a real broker: events of several files arrive as
// NDJSON records, each once, in order per file, keyed by the file, with the
// content type and event count in the headers; a record the topic refuses as
// too large (max.message.bytes) is split until it fits, never dropped.

import t from 'tap';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { createTopic, deleteTopic } from '../../../services/index.js';
import {
  createTopicWith,
  fileBatch,
  memoryLogger,
  noKafka,
  range,
  readTopic,
  sinkConfig,
  topicSize,
  uniqueName,
  type ReadMessage,
} from '../../../fixtures/sinks/kafka/kafka-test-kit.js';

/** Per key, the `seq` of every event of every record, in the order Kafka holds them. */
function unpackedSequences(records: readonly ReadMessage[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const r of records) {
    const lines = r.value.split('\n');
    if (lines.pop() !== '') throw new Error('a packed value ends in a newline');
    if (r.headers['logpod-events'] !== String(lines.length))
      throw new Error(`logpod-events ${r.headers['logpod-events']} for ${lines.length} lines`);
    const list = byKey.get(r.key ?? '') ?? [];
    for (const line of lines) list.push((JSON.parse(line) as { seq: number }).seq);
    byKey.set(r.key ?? '', list);
  }
  return byKey;
}

async function writeFiles(sink: KafkaSink, files: string[], perFile: number, perBatch: number) {
  const acks = new Map<string, number>();
  let batches = 0;
  for (let from = 0; from < perFile; from += perBatch) {
    for (const file of files) {
      await sink.write(fileBatch(file, from, Math.min(from + perBatch, perFile), acks));
      batches++;
    }
  }
  await sink.flush();
  return { acks, batches };
}

t.test(
  'events are packed per file, each once, in order, with headers',
  { skip: noKafka },
  async (t) => {
    const topic = uniqueName('packed');
    await createTopic(topic, 3);
    t.teardown(() => deleteTopic(topic));
    const recordMax = 4096;
    const sink = new KafkaSink(
      sinkConfig(topic, { packing: 'ndjson', record_max_bytes: recordMax }),
      memoryLogger().logger,
    );
    await sink.start();
    t.teardown(() => sink.close());

    const files = ['a.log', 'b.log', 'c.log'];
    const perFile = 1200;
    const { acks, batches } = await writeFiles(sink, files, perFile, 100);
    t.equal(acks.size, batches, 'every batch acknowledged');
    t.ok(
      [...acks.values()].every((n) => n === 1),
      'each exactly once',
    );

    const records = await topicSize(topic);
    t.ok(records < (files.length * perFile) / 10, `far fewer records (${records}) than events`);
    const read = await readTopic(topic, records);
    t.ok(
      read.every((r) => r.value.length <= recordMax),
      'every record within record_max_bytes',
    );
    t.ok(
      read.every(
        (r) =>
          r.headers['content-type'] === 'application/x-ndjson' &&
          r.headers['logpod-schema'] === '1',
      ),
      'content type and schema headers',
    );
    const byKey = unpackedSequences(read);
    t.same([...byKey.keys()].sort(), ['src-a.log', 'src-b.log', 'src-c.log'], 'key = the file');
    for (const [key, seqs] of byKey)
      t.same(seqs, range(0, perFile), `${key}: every event once, in order`);
    const partitions = new Map<string, Set<number>>();
    for (const r of read)
      partitions.set(r.key!, (partitions.get(r.key!) ?? new Set()).add(r.partition));
    t.ok(
      [...partitions.values()].every((s) => s.size === 1),
      'one file stays in one partition',
    );
  },
);

t.test(
  'a record over the topic max.message.bytes is split until it fits, never dropped',
  { skip: noKafka },
  async (t) => {
    const topic = uniqueName('packed-small');
    const limit = 6000;
    await createTopicWith(topic, { 'max.message.bytes': String(limit) });
    t.teardown(() => deleteTopic(topic));
    const { logger, lines } = memoryLogger();
    // Records of up to 64 KiB, uncompressed: most are refused and must be cut.
    const sink = new KafkaSink(
      sinkConfig(topic, { packing: 'ndjson', record_max_bytes: 64 * 1024, compression: 'none' }),
      logger,
    );
    await sink.start();
    t.teardown(() => sink.close());

    const perFile = 600;
    const { acks, batches } = await writeFiles(sink, ['big.log'], perFile, 300);
    t.equal(sink.failure, undefined, 'the output did not fail');
    t.equal(acks.size, batches, 'every batch acknowledged, once');
    const read = await readTopic(topic, await topicSize(topic));
    t.ok(read.length > 2, `the records were split (${read.length} in the topic)`);
    t.ok(
      read.every((r) => r.value.length < limit),
      'each within the topic limit',
    );
    t.same(
      unpackedSequences(read).get('src-big.log'),
      range(0, perFile),
      'every event once, in order',
    );
    t.notOk(
      lines.some((l) => l.level === 50),
      'no error logged',
    );
  },
);
