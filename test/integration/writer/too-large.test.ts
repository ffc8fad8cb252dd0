// A node that takes request bodies of 64kb at most (http.max_content_length)
// answers a bigger _bulk with 413 as a whole. The writer splits such a request
// in halves, again and again, until each part fits: every event is indexed
// exactly once, the splits show on /metrics, and the one event that is too
// large on its own goes to the dead-letter topic with the error, not lost.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { Client } from '@elastic/elasticsearch';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import {
  committedTotal,
  createTopic,
  deleteTopic,
  startExtraElasticsearch,
} from '../../services/index.js';
import {
  countDocs,
  makeEvent,
  newWriterSetup,
  produce,
  readTopic,
  skipReason,
  waitFor,
  writerRaw,
} from './helpers.js';

const skip =
  skipReason() ||
  (process.env.LOGPOD_TEST_ES ? 'starts a second Elasticsearch: only with the harness' : false);

function metric(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m === null ? undefined : Number(m[1]);
}

t.test(
  'a _bulk refused with 413 is split until it fits; nothing lost, nothing twice',
  { skip },
  async (t) => {
    const node = await startExtraElasticsearch({
      name: 'es-small-body',
      portOffset: 50,
      maxContentLength: '64kb',
    });
    t.teardown(() => node.stop());
    const es = new Client({ node: node.url, maxRetries: 0, requestTimeout: 30_000 });
    t.teardown(() => es.close());

    const setup = newWriterSetup('too-large-');
    await createTopic(setup.topic, 1);
    await createTopic(setup.dlq, 1);
    t.teardown(() =>
      Promise.all([deleteTopic(setup.topic), deleteTopic(setup.dlq)]).catch(() => {}),
    );
    // 200 events of about 2.5 KB (a 200-event request is ~500 KB: 8 times the limit),
    // and one of 100 KB in the middle, too large for any request.
    const messages: { key: string; value: string }[] = [];
    for (let i = 0; i < 201; i++) {
      const event = makeEvent(i, 'src-big');
      (event.event as Record<string, unknown>).original = 'x'.repeat(i === 100 ? 100_000 : 2_500);
      messages.push({ key: 'src-big', value: JSON.stringify(event) });
    }
    await produce(setup.topic, messages);

    const raw = writerRaw(setup, {
      hosts: [node.url],
      batch_max_events: 200,
      request_timeout: '30s',
    });
    raw.server = { enabled: true, listen: '127.0.0.1:0' };
    const config = join(t.testdir(), 'writer.yaml');
    writeFileSync(config, stringify(raw));
    const child = spawn(process.execPath, [LOGPOD_BIN, 'writer', '--config', config], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOGPOD_LOG_LEVEL: 'info' },
    });
    t.teardown(() => child.kill('SIGKILL'));
    let out = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const m = /"address":"([^"]+)","msg":"probe server listening"/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('close', () => reject(new Error(`writer exited:\n${out}`)));
    });
    await waitFor(
      'all offsets committed',
      async () => (await committedTotal(setup.topic, setup.group)) === 201,
      120_000,
    );
    const metrics = await (await fetch(`http://${address}/metrics`)).text();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) =>
      child.on('close', (c) => resolve(c)),
    );
    t.equal(code, 0, 'clean exit');

    const target = `logs-nginx.access-${setup.ns}`;
    t.equal(await countDocs(es, target), 200, 'every event that fits is indexed');
    const ids = await es.search({
      index: target,
      size: 0,
      aggs: { ids: { cardinality: { field: 'event.id' } } },
    });
    t.equal((ids.aggregations!.ids as { value: number }).value, 200, 'each exactly once');

    const splits = metric(metrics, 'logpod_elasticsearch_bulk_splits_total');
    t.ok(splits !== undefined && splits >= 3, `splits counted on /metrics (${splits})`);
    t.equal(
      metric(metrics, 'logpod_elasticsearch_indexed_total'),
      200,
      'indexed_total on /metrics',
    );
    t.equal(metric(metrics, 'logpod_dead_lettered_total'), 1, 'one dead-lettered');

    const [letter] = (await readTopic(setup.dlq, 1)).map((v) => JSON.parse(v));
    t.equal(letter.event.event.id, 'src-big-100', 'the too-large event is in the dead letter');
    t.equal(letter.error.status, 413, 'with the 413');
    t.equal(letter.event.event.original.length, 100_000, 'whole');
  },
);
