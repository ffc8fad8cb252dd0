// A replay after a data-stream rollover: the writer indexed the topic, the
// data streams rolled over, and the group's offsets were reset to the start.
// The replayed events are created in the new backing indices, where 409 cannot
// see the old copies; the rollover guard finds them in the older backing
// indices and deletes the new copies, so each event stays exactly once. The
// same replay with rollover_check off leaves duplicates (the gap the guard
// closes), and a replay with it on again removes them (a copy left by a crash
// between create and clean-up is answered 409 and removed the same way).
import kafkajs from 'kafkajs';
import t from 'tap';
import { startWriter } from '../../../src/cli/writer-service.js';
import { committedTotal, createTopic, deleteTopic, kafkaBrokers } from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  logger,
  makeEvent,
  newWriterSetup,
  produce,
  skipReason,
  waitFor,
  writerConfig,
  type WriterSetup,
} from './helpers.js';

const skip = skipReason();

async function resetOffsets(topic: string, groupId: string): Promise<void> {
  const kafka = new kafkajs.Kafka({
    brokers: [kafkaBrokers()],
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

/** Runs a writer over the whole topic (from the group's offsets) until all is committed. */
async function writeAll(setup: WriterSetup, total: number, es: Record<string, unknown> = {}) {
  const writer = await startWriter(writerConfig(setup, es), logger);
  await waitFor(
    `${total} offsets committed`,
    async () => (await committedTotal(setup.topic, setup.group)) === total,
    120_000,
  );
  await writer!.stop();
  return writer!.stats;
}

t.test(
  'a replay after a rollover leaves each event once in the data stream',
  { skip },
  async (t) => {
    const setup = newWriterSetup('rollover-');
    await createTopic(setup.topic, 1);
    await createTopic(setup.dlq, 1);
    t.teardown(() =>
      Promise.all([deleteTopic(setup.topic), deleteTopic(setup.dlq)]).catch(() => {}),
    );
    const es = esClient();
    t.teardown(() => es.close());
    const access = `logs-nginx.access-${setup.ns}`;
    const error = `logs-nginx.error-${setup.ns}`;
    const all = `logs-*-${setup.ns}`;
    const errors = Array.from({ length: 20 }, (_, i) => {
      const e = makeEvent(1000 + i, 'src-e');
      (e.event as Record<string, unknown>).dataset = 'nginx.error';
      return { key: 'src-e', value: JSON.stringify(e) };
    });
    await produce(setup.topic, [...eventMessages(100), ...errors]);

    const first = await writeAll(setup, 120);
    t.equal(first.indexed, 120, 'first run: every event indexed');
    t.equal(await countDocs(es, all), 120, 'all in the data streams');

    for (const stream of [access, error]) await es.indices.rollover({ alias: stream });
    const backing = Object.keys(await es.indices.get({ index: access })).sort();
    t.equal(backing.length, 2, 'the data stream rolled over: two backing indices');

    await resetOffsets(setup.topic, setup.group);
    const replay = await writeAll(setup, 120);
    t.equal(replay.rolloverDuplicates, 120, 'every replayed copy found in the older index');
    t.equal(replay.indexed, 0, 'none counted as indexed');
    t.equal(await countDocs(es, all), 120, 'still each event once');
    t.equal(await countDocs(es, backing[1]), 0, 'nothing left in the new backing index');

    // The gap itself: without the check, the replay duplicates every event.
    await resetOffsets(setup.topic, setup.group);
    const unchecked = await writeAll(setup, 120, { rollover_check: false });
    t.equal(unchecked.indexed, 120, 'rollover_check off: the replay is indexed again');
    t.equal(await countDocs(es, all), 240, 'duplicates across backing indices');

    // A copy left in the new index (as a crash before the clean-up would) is answered 409
    // on the next replay, and removed.
    await resetOffsets(setup.topic, setup.group);
    const repaired = await writeAll(setup, 120);
    t.equal(repaired.duplicates, 120, 'the replay meets its copies (409)');
    t.equal(repaired.rolloverDuplicates, 120, 'and finds the originals in the older index');
    t.equal(await countDocs(es, all), 120, 'each event once again');
    const ids = await es.search({
      index: all,
      size: 0,
      aggs: { ids: { cardinality: { field: 'event.id' } } },
    });
    t.equal((ids.aggregations!.ids as { value: number }).value, 120, '120 distinct events');
  },
);
