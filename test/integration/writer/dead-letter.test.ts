// A document the mapping rejects (status_code "abc" where the template maps a
// number) and a value that is not JSON go to the dead-letter topic with the
// error; every other event is indexed and every offset is committed.
import t from 'tap';
import { startWriter } from '../../../src/cli/writer-service.js';
import { committedTotal, createTopic, deleteTopic } from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  logger,
  makeEvent,
  produce,
  readTopic,
  skipReason,
  waitFor,
  writerConfig,
  newWriterSetup,
} from './helpers.js';

const skip = skipReason();

t.test(
  'rejected documents and poison messages go to the dead-letter topic',
  { skip },
  async (t) => {
    const setup = newWriterSetup();
    const { topic, ns } = setup;
    await createTopic(topic, 1);
    await createTopic(setup.dlq, 1);
    t.teardown(() => Promise.all([deleteTopic(topic), deleteTopic(setup.dlq)]).catch(() => {}));
    const bad = makeEvent(999, 'src-x');
    (bad.http as any).response.status_code = 'abc'; // eslint-disable-line @typescript-eslint/no-explicit-any
    await produce(topic, [
      ...eventMessages(50),
      { key: 'src-x', value: JSON.stringify(bad) },
      { key: 'src-y', value: 'this is {not json' },
      ...eventMessages(50, 50),
    ]);
    const es = esClient();
    t.teardown(() => es.close());

    const writer = await startWriter(writerConfig(setup), logger);
    await waitFor(
      'all offsets committed',
      async () => (await committedTotal(topic, setup.group)) === 102,
    );
    await writer!.stop();
    t.equal(await countDocs(es, `logs-*-${ns}`), 100, 'the good events are indexed');
    t.equal(writer!.stats.deadLettered, 2);

    const letters = (await readTopic(setup.dlq, 2)).map((v) => JSON.parse(v));
    t.equal(letters.length, 2);
    const mapping = letters.find((l) => l.error.status === 400);
    t.ok(mapping, 'the mapping conflict is there');
    t.match(mapping.error.type, /parsing_exception|mapper/);
    t.equal(mapping.event.event.id, 'src-x-999', 'with the original event');
    t.same([mapping.topic, mapping.partition, mapping.offset], [topic, 0, '50']);
    const poison = letters.find((l) => l.error.type === 'invalid_event');
    t.equal(poison.event, 'this is {not json', 'the poison value as it was');
    t.equal(poison.offset, '51');
  },
);
