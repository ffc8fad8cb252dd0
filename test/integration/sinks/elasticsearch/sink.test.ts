// The direct Elasticsearch output: batches are acknowledged once every document
// is indexed or a duplicate; a rejected document lands in the dead-letter file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { buildConfig } from '../../../../src/config/load.js';
import type { EcsEvent } from '../../../../src/pipeline/event.js';
import { ElasticsearchSink } from '../../../../src/sinks/elasticsearch/sink.js';
import {
  countDocs,
  esClient,
  logger,
  makeEvent,
  skipReason,
  uniqueName,
} from '../../writer/helpers.js';
import { elasticsearchUrl } from '../../../services/index.js';
import { outputOf } from '../../../helpers/config.js';

const skip = skipReason();

t.test(
  'acks after settling; rejected documents go to the dead-letter file; replays are 409',
  { skip },
  async (t) => {
    const dir = t.testdir();
    const ns = uniqueName('t');
    const config = buildConfig(
      {
        data_dir: dir,
        inputs: [{ paths: ['/x'] }],
        output: {
          elasticsearch: {
            hosts: [elasticsearchUrl()],
            index: `logpod-${ns}-{{dataset}}-%Y.%m.%d`,
            template: { replicas: 0 },
            batch_max_events: 50,
            batch_max_wait: '50ms',
          },
        },
      },
      'test',
    );
    const sink = new ElasticsearchSink(outputOf(config, 'elasticsearch')!, dir, logger);
    await sink.start();
    t.teardown(() => sink.close());
    const events = Array.from({ length: 120 }, (_, i) => makeEvent(i) as unknown as EcsEvent);
    (events[7] as any).http.response.status_code = 'abc'; // eslint-disable-line @typescript-eslint/no-explicit-any
    let acked = 0;
    for (let i = 0; i < 120; i += 30) {
      await sink.write({ events: events.slice(i, i + 30), bytes: 3000, ack: () => acked++ });
    }
    await sink.flush();
    t.equal(acked, 4, 'every batch acknowledged');
    t.equal(sink.stats.indexed, 119);
    t.equal(sink.stats.deadLettered, 1);
    const letters = readFileSync(join(dir, 'dead-letter/elasticsearch.ndjson'), 'utf8')
      .trim()
      .split('\n');
    t.equal(letters.length, 1);
    t.equal(JSON.parse(letters[0]).event.event.id, 'src-a-7');

    await sink.write({ events: events.slice(0, 30), bytes: 3000, ack: () => acked++ });
    await sink.flush();
    t.equal(acked, 5);
    t.equal(sink.stats.duplicates, 29, 'a replay is absorbed');
    const es = esClient();
    t.teardown(() => es.close());
    t.equal(await countDocs(es, `logpod-${ns}-*`), 119);
    t.ok(
      await es.indices.exists({ index: `logpod-${ns}-nginx.access-2026.01.02` }),
      'dated by @timestamp',
    );
  },
);
