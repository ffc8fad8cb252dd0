// The writer's dashboard against a real Elasticsearch: the aggregation query is accepted
// by the server and the numbers it gives back match the documents indexed.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { ElasticsearchDashboard, clientSearch } from '../../../src/dashboard/es-aggregates.js';
import { ECS_MAPPINGS } from '../../../src/sinks/elasticsearch/template.js';
import { elasticsearchUrl, servicesAvailable } from '../../services/index.js';

const skip = servicesAvailable().elasticsearch
  ? false
  : 'the Elasticsearch test service is not running (node test/services/services.js start elasticsearch)';

interface Doc {
  status: number;
  path: string;
  ago: number;
  geo?: [string, string, string];
  bot?: boolean;
}

function doc(d: Doc, now: number, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '@timestamp': new Date(now - d.ago).toISOString(),
    event: { id: `e-${i}`, dataset: 'nginx.access', original: `line ${i}`, duration: 1000 * i },
    http: { request: { method: 'GET' }, response: { status_code: d.status } },
    url: { original: d.path, path: d.path },
    source: { ip: `198.51.100.${i % 250}` },
  };
  if (d.geo !== undefined) {
    (out.source as Record<string, unknown>).geo = {
      country_iso_code: d.geo[0],
      country_name: d.geo[1],
      city_name: d.geo[2],
    };
  }
  if (d.bot) out.tags = ['bot'];
  return out;
}

t.test('the aggregations give back what was indexed', { skip }, async (t) => {
  const client = new Client({ node: elasticsearchUrl() });
  t.teardown(() => client.close());
  const index = `logpod-dash-${randomBytes(4).toString('hex')}`;
  await client.indices.create({
    index,
    mappings: ECS_MAPPINGS as never,
    settings: { number_of_replicas: 0 },
  });
  t.teardown(() => client.indices.delete({ index }).catch(() => {}));

  const now = Date.now();
  const docs: Doc[] = [];
  const add = (n: number, d: Doc) => {
    for (let i = 0; i < n; i++) docs.push(d);
  };
  add(40, { status: 200, path: '/hot', ago: 10_000, geo: ['DE', 'Germany', 'Berlin'] });
  add(15, { status: 200, path: '/warm', ago: 20_000, geo: ['JP', 'Japan', 'Tokyo'] });
  add(5, { status: 304, path: '/img.png', ago: 30_000, bot: true });
  add(7, { status: 404, path: '/missing', ago: 40_000 });
  add(3, { status: 200, path: '/older', ago: 400_000 }); // in the window, not in the top 5 min
  add(9, { status: 200, path: '/ancient', ago: 3_600_000 }); // outside the window
  docs.push({ status: 502, path: '/first-failure', ago: 50_000 });
  docs.push({ status: 503, path: '/q?<img src=x onerror=alert(1)>', ago: 5_000 });
  const operations = docs.flatMap((d, i) => [{ create: { _index: index } }, doc(d, now, i)]);
  const bulk = await client.bulk({ operations, refresh: true });
  t.notOk(bulk.errors, 'all indexed');
  await client.index({
    index,
    refresh: true,
    document: { '@timestamp': new Date(now).toISOString(), event: { dataset: 'nginx.error' } },
  });

  const dash = new ElasticsearchDashboard({ search: clientSearch(client), index: `${index}*` });
  const s = await dash.snapshot();
  t.equal(s.error, undefined, s.error ?? 'no error');
  t.same(s.totals, {
    requests: 72,
    byClass: { '1xx': 0, '2xx': 58, '3xx': 5, '4xx': 7, '5xx': 2, other: 0 },
  });
  const inSeries = Object.values(s.series.byClass)
    .flat()
    .reduce((a, b) => a + b, 0);
  t.equal(inSeries, 72, 'the time series holds every request of the window');
  t.equal(s.series.t.length, 180, '15 minutes in 5 s steps');
  t.equal(s.rate.requestsPerSecond, 69 / 60, 'the last minute');
  t.equal(s.rate.errorRate5xx, 2 / 69);
  t.same(s.topPages.slice(0, 3), [
    { name: '/hot', count: 40 },
    { name: '/warm', count: 15 },
    { name: '/missing', count: 7 },
  ]);
  t.notOk(
    s.topPages.some((p) => p.name === '/older'),
    'six minutes ago is not in the top tables',
  );
  t.same(s.countries, [
    { name: 'Germany', code: 'DE', count: 40 },
    { name: 'Japan', code: 'JP', count: 15 },
  ]);
  t.same(s.cities, [
    { name: 'Berlin', country: 'DE', count: 40 },
    { name: 'Tokyo', country: 'JP', count: 15 },
  ]);
  t.same(s.bots, { bots: 5, people: 64 });
  t.same(
    s.recent5xx.map((e) => [e.status, e.url]),
    [
      [503, '/q?<img src=x onerror=alert(1)>'],
      [502, '/first-failure'],
    ],
    'newest first, URLs as they were',
  );
});

t.test('an unreachable Elasticsearch is reported in the document', async (t) => {
  const client = new Client({ node: 'http://127.0.0.1:1', maxRetries: 0 });
  t.teardown(() => client.close());
  const dash = new ElasticsearchDashboard({ search: clientSearch(client), index: 'logs-*' });
  const s = await dash.snapshot();
  t.match(s.error, /^Elasticsearch: /);
  t.equal(s.totals.requests, 0);
});
