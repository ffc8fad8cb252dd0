// N events in, exactly N documents; the same topic replayed by a new group adds
// none and counts N duplicates (create with _id = event.id answers 409).
import t from 'tap';
import { startWriter } from '../../../src/cli/writer-service.js';
import { committedTotal, createTopic, deleteTopic } from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  logger,
  produce,
  skipReason,
  uniqueName,
  waitFor,
  writerConfig,
  newWriterSetup,
} from './helpers.js';

const skip = skipReason();
const N = 1500;

t.test(
  'N events make N documents; a replay makes none and counts N duplicates',
  { skip },
  async (t) => {
    const setup = newWriterSetup();
    const { topic, ns } = setup;
    await createTopic(topic, 3);
    t.teardown(() => deleteTopic(topic).catch(() => {}));
    await produce(topic, eventMessages(N));
    const es = esClient();
    t.teardown(() => es.close());
    const pattern = `logs-*-${ns}`;

    const first = await startWriter(writerConfig(setup), logger);
    await waitFor('N indexed', () => first!.stats.indexed >= N);
    await waitFor(
      'offsets committed',
      async () => (await committedTotal(topic, setup.group)) === N,
    );
    await first!.stop();
    t.equal(await countDocs(es, pattern), N, 'N documents');
    t.equal(first!.stats.duplicates, 0);
    const ds = await es.indices.get({ index: 'logs-nginx.access-' + ns });
    const backing = Object.values(ds)[0];
    t.equal(backing.data_stream, `logs-nginx.access-${ns}`, 'a data stream');
    const mappings = backing.mappings?.properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    t.equal(mappings.source.properties.ip.type, 'ip');
    t.equal(mappings.event.properties.original.index, false);
    t.equal(mappings.http.properties.response.properties.status_code.type, 'long');

    const replay = await startWriter(writerConfig({ ...setup, group: uniqueName('g-') }), logger);
    await waitFor('N duplicates', () => replay!.stats.duplicates >= N);
    await replay!.stop();
    t.equal(replay!.stats.indexed, 0, 'nothing indexed twice');
    t.equal(replay!.stats.duplicates, N, 'N duplicates counted');
    t.equal(await countDocs(es, pattern), N, 'still N documents');
  },
);
