// Elasticsearch stopped for 30 s mid-stream: consumption waits, no offset is
// committed for undelivered events, and once it is back every event is there
// exactly once.
import t from 'tap';
import { startWriter } from '../../../src/cli/writer-service.js';
import {
  committedTotal,
  createTopic,
  deleteTopic,
  startElasticsearch,
  stopElasticsearch,
} from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  logger,
  produce,
  skipReason,
  waitFor,
  writerConfig,
  newWriterSetup,
} from './helpers.js';

const skip = skipReason();

t.test(
  'Elasticsearch down for 30 s: nothing committed meanwhile, N documents after',
  { skip },
  async (t) => {
    const setup = newWriterSetup();
    const { topic, ns } = setup;
    await createTopic(topic, 2);
    t.teardown(() => deleteTopic(topic).catch(() => {}));
    await produce(topic, eventMessages(300));
    const writer = await startWriter(writerConfig(setup), logger);
    let stopped = false;
    t.teardown(async () => {
      await startElasticsearch();
      if (!stopped) await writer!.stop();
    });
    await waitFor(
      'first part committed',
      async () => (await committedTotal(topic, setup.group)) === 300,
    );

    await stopElasticsearch();
    await produce(topic, eventMessages(700, 300));
    const downUntil = Date.now() + 30_000;
    const committedWhileDown = new Set<number>();
    while (Date.now() < downUntil) {
      committedWhileDown.add(await committedTotal(topic, setup.group));
      await new Promise((r) => setTimeout(r, 2_000));
    }
    t.same([...committedWhileDown], [300], 'no offset committed while Elasticsearch was down');
    t.ok(writer!.stats.bulkFailures > 0, 'bulk requests failed and were retried');
    await startElasticsearch();

    await waitFor(
      'everything committed',
      async () => (await committedTotal(topic, setup.group)) === 1000,
      90_000,
    );
    await writer!.stop();
    stopped = true;
    const es = esClient();
    t.teardown(() => es.close());
    t.equal(await countDocs(es, `logs-*-${ns}`), 1000, 'N documents');
  },
);
