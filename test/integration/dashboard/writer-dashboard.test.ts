// The writer's dashboard end to end: events go through Kafka into Elasticsearch with the
// real writer, and GET /api/dashboard on the writer's probe server reads them back from
// aggregations over the writer's own target.
import t from 'tap';
import { buildConfig } from '../../../src/config/load.js';
import { startWriter } from '../../../src/cli/writer-service.js';
import { writerProbes } from '../../../src/cli/writer-probes.js';
import type { DashboardSnapshot } from '../../../src/dashboard/snapshot.js';
import { createTopic } from '../../services/index.js';
import { ensureDashboardBuilt } from './ensure-built.js';
import { logger, produce, skipReason, uniqueName, waitFor, writerRaw } from '../writer/helpers.js';

const skip = skipReason();

function event(i: number, status: number, path: string, now: number): Record<string, unknown> {
  return {
    '@timestamp': new Date(now - 1000 - i).toISOString(),
    event: { id: `dash-${i}`, dataset: 'nginx.access', original: `line ${i}`, duration: 1_000_000 },
    http: { request: { method: 'GET' }, response: { status_code: status } },
    url: { original: path, path },
    source: { ip: '198.51.100.7', geo: { country_iso_code: 'FR', country_name: 'France' } },
  };
}

t.test(
  'the writer serves /api/dashboard from Elasticsearch',
  { skip, timeout: 120_000 },
  async (t) => {
    ensureDashboardBuilt(t);
    const ns = uniqueName('dash');
    const setup = {
      topic: uniqueName('dash-'),
      group: uniqueName('g-'),
      dataStream: `logs-{{dataset}}-${ns}`,
      dlq: uniqueName('dlq-'),
    };
    await createTopic(setup.topic, 2);
    await createTopic(setup.dlq, 1);
    const raw = writerRaw(setup);
    raw.server = { enabled: true, listen: '127.0.0.1:0' };
    const config = buildConfig(raw, 'test');
    const probes = writerProbes(config, logger);
    const address = await probes.server.start();
    t.teardown(() => probes.stop());
    const writer = await startWriter(config, logger);
    t.teardown(() => writer!.stop());
    probes.started({ stats: writer!.stats, pingElasticsearch: writer!.pingElasticsearch });

    const now = Date.now();
    const events = [
      ...Array.from({ length: 30 }, (_, i) => event(i, 200, '/home', now)),
      ...Array.from({ length: 8 }, (_, i) => event(100 + i, 404, '/nope', now)),
      ...Array.from({ length: 2 }, (_, i) => event(200 + i, 502, `/api/fail-${i}`, now)),
    ];
    await produce(
      setup.topic,
      events.map((e) => ({ key: 'src', value: JSON.stringify(e) })),
    );

    const url = `http://${address.host}:${address.port}/api/dashboard`;
    let doc: DashboardSnapshot | undefined;
    await waitFor('the dashboard to count 40 requests', async () => {
      doc = (await (await fetch(url)).json()) as DashboardSnapshot;
      return doc.totals.requests === 40;
    });
    t.equal(doc!.source, 'elasticsearch');
    t.equal(doc!.error, undefined);
    t.same(doc!.totals.byClass, { '1xx': 0, '2xx': 30, '3xx': 0, '4xx': 8, '5xx': 2, other: 0 });
    t.same(doc!.topPages[0], { name: '/home', count: 30 });
    t.same(doc!.countries, [{ name: 'France', code: 'FR', count: 40 }]);
    t.same(doc!.recent5xx.map((e) => e.url).sort(), ['/api/fail-0', '/api/fail-1']);
    const page = await fetch(`http://${address.host}:${address.port}/`);
    t.equal(page.status, 200, 'the page is served by the writer too');
  },
);
