// Packed and single-event records in one topic: single-event records from a
// plain kafkajs producer (an older agent, another producer) and NDJSON records
// from the agent's Kafka output, interleaved. The writer makes one document
// per event, each exactly once, commits every record, and a replay by a new
// group adds nothing (every event a 409 duplicate).

import t from 'tap';
import { startWriter } from '../../../src/cli/writer-service.js';
import { buildConfig } from '../../../src/config/load.js';
import type { EventBatch } from '../../../src/pipeline/batch.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';
import { KafkaSink } from '../../../src/sinks/kafka/index.js';
import {
  committedTotal,
  createTopic,
  deleteTopic,
  kafkaBrokers,
  topicMessages,
} from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  logger,
  makeEvent,
  newWriterSetup,
  produce,
  skipReason,
  uniqueName,
  waitFor,
  writerConfig,
} from './helpers.js';

const skip = skipReason();

/** The agent's Kafka output with its defaults (packing ndjson), records kept small to make many. */
async function agentSink(topic: string): Promise<KafkaSink> {
  const config = buildConfig(
    {
      data_dir: '/tmp',
      inputs: [{ paths: ['/var/log/nginx/access.log'] }],
      output: { kafka: { brokers: [kafkaBrokers()], topic, record_max_bytes: '8KiB' } },
    },
    'test',
  );
  if (config.output.kind !== 'kafka') throw new Error('a kafka output was configured');
  const sink = new KafkaSink(config.output, logger);
  await sink.start();
  return sink;
}

/** Events from..to-1, one batch per source (as the file input hands them over). */
async function writePacked(sink: KafkaSink, from: number, to: number): Promise<void> {
  const bySource = new Map<string, EcsEvent[]>();
  for (let i = from; i < to; i++) {
    const source = `src-${i % 3}`;
    const list = bySource.get(source) ?? [];
    list.push(makeEvent(i, source) as unknown as EcsEvent);
    bySource.set(source, list);
  }
  for (const [sourceId, events] of bySource) {
    const batch: EventBatch = {
      events,
      bytes: events.length * 200,
      origin: { inputId: 'nginx', sourceId, format: 'main' },
      ack: () => {},
    };
    await sink.write(batch);
  }
  await sink.flush();
}

t.test(
  'single-event and packed records in one topic: each event exactly once',
  { skip },
  async (t) => {
    const setup = newWriterSetup();
    const { topic, ns } = setup;
    await createTopic(topic, 3);
    t.teardown(() => deleteTopic(topic).catch(() => {}));
    const sink = await agentSink(topic);
    t.teardown(() => sink.close());

    // Interleaved: plain, packed, plain, packed.
    await produce(topic, eventMessages(300, 0));
    await writePacked(sink, 300, 1300);
    await produce(topic, eventMessages(200, 1300));
    await writePacked(sink, 1500, 2500);
    const N = 2500;
    const records = await topicMessages(topic);
    t.ok(records < N - 100, `the topic holds fewer records (${records}) than events (${N})`);

    const es = esClient();
    t.teardown(() => es.close());
    const pattern = `logs-*-${ns}`;
    const first = await startWriter(writerConfig(setup), logger);
    await waitFor('every event indexed', () => first!.stats.indexed >= N, 120_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify(first!.stats.snapshot())}`);
      },
    );
    await waitFor(
      'every record committed',
      async () => (await committedTotal(topic, setup.group)) === records,
    );
    await first!.stop();
    t.equal(first!.stats.indexed, N, 'one document per event');
    t.equal(first!.stats.duplicates, 0);
    t.equal(first!.stats.deadLettered, 0, 'nothing dead-lettered');
    t.equal(await countDocs(es, pattern), N, 'N documents');
    const ids = await es.search({
      index: pattern,
      size: 0,
      aggs: { ids: { cardinality: { field: 'event.id', precision_threshold: 40000 } } },
    });
    t.equal((ids.aggregations?.ids as { value: number }).value, N, 'N distinct event ids');
    const sample = await es.search({
      index: pattern,
      query: { terms: { 'event.id': ['src-0-0', 'src-1-301', 'src-2-2498'] } },
    });
    t.equal(sample.hits.hits.length, 3, 'plain and packed events found by their event.id');
    t.ok(
      sample.hits.hits.every((h) => h._id === (h._source as { event: { id: string } }).event.id),
      '_id = event.id',
    );

    const replay = await startWriter(writerConfig({ ...setup, group: uniqueName('g-') }), logger);
    await waitFor('N duplicates', () => replay!.stats.duplicates >= N);
    await replay!.stop();
    t.equal(replay!.stats.indexed, 0, 'a replay indexes nothing');
    t.equal(replay!.stats.duplicates, N, 'every event a duplicate');
    t.equal(await countDocs(es, pattern), N, 'still N documents');
  },
);
