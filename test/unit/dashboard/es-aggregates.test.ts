import t from 'tap';
import { ElasticsearchDashboard, type SearchFn } from '../../../src/dashboard/es-aggregates.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 3, 0);

/** What Elasticsearch answers for the dashboard's aggregations (shape of a real reply). */
function answer(): unknown {
  const classes = (c: Record<string, number>) => ({
    buckets: Object.fromEntries(
      ['1xx', '2xx', '3xx', '4xx', '5xx'].map((k) => [k, { doc_count: c[k] ?? 0 }]),
    ),
  });
  return {
    hits: { total: { value: 120, relation: 'eq' }, hits: [] },
    aggregations: {
      classes: classes({ '2xx': 100, '4xx': 10, '5xx': 8 }),
      over_time: {
        buckets: [
          { key: NOW - 5000, doc_count: 20, classes: classes({ '2xx': 20 }) },
          { key: NOW, doc_count: 7, classes: classes({ '5xx': 5 }) },
        ],
      },
      rps: { doc_count: 90 },
      error_rate: { doc_count: 40, classes: classes({ '5xx': 8 }) },
      top: {
        doc_count: 60,
        pages: { buckets: [{ key: '/hot', doc_count: 30 }] },
        countries: {
          buckets: [
            { key: 'DE', doc_count: 12, name: { buckets: [{ key: 'Germany', doc_count: 12 }] } },
          ],
        },
        cities: {
          buckets: [
            { key: 'Berlin', doc_count: 9, country: { buckets: [{ key: 'DE', doc_count: 9 }] } },
          ],
        },
        bots: { doc_count: 6 },
      },
      recent_5xx: {
        doc_count: 8,
        latest: {
          hits: {
            hits: [
              {
                _source: {
                  '@timestamp': '2026-11-28T12:00:02.000Z',
                  http: { request: { method: 'POST' }, response: { status_code: 503 } },
                  url: { original: '/api/<b>x</b>' },
                  source: { ip: '8.8.8.8', geo: { country_iso_code: 'US' } },
                },
              },
            ],
          },
        },
      },
    },
  };
}

t.test('one search on the target maps to the dashboard document', async (t) => {
  const calls: { index: string; body: Record<string, unknown>; timeoutMs: number }[] = [];
  const search: SearchFn = async (index, body, timeoutMs) => {
    calls.push({ index, body: body as Record<string, unknown>, timeoutMs });
    return answer();
  };
  const dash = new ElasticsearchDashboard({ search, index: 'logs-*-default', now: () => NOW });
  const s = await dash.snapshot();
  t.equal(calls.length, 1);
  t.equal(calls[0].index, 'logs-*-default');
  t.ok(calls[0].timeoutMs < 2000, 'answers before the probe server gives up on the request');
  t.equal(calls[0].body.size, 0, 'aggregations only');

  t.equal(s.source, 'elasticsearch');
  t.equal(s.totalsScope, 'window');
  t.same(s.totals, {
    requests: 120,
    byClass: { '1xx': 0, '2xx': 100, '3xx': 0, '4xx': 10, '5xx': 8, other: 2 },
  });
  t.equal(s.rate.requestsPerSecond, 90 / s.rate.rpsSeconds);
  t.equal(s.rate.errorRate5xx, 8 / 40);
  t.same(s.series.t, [Math.floor((NOW - 5000) / 1000), Math.floor(NOW / 1000)]);
  t.same(s.series.byClass['2xx'], [20, 0]);
  t.same(s.series.byClass['5xx'], [0, 5]);
  t.same(s.series.byClass.other, [0, 2]);
  t.same(s.topPages, [{ name: '/hot', count: 30 }]);
  t.same(s.countries, [{ name: 'Germany', code: 'DE', count: 12 }]);
  t.same(s.cities, [{ name: 'Berlin', country: 'DE', count: 9 }]);
  t.same(s.bots, { bots: 6, people: 54 });
  t.same(s.recent5xx, [
    {
      time: '2026-11-28T12:00:02.000Z',
      status: 503,
      method: 'POST',
      url: '/api/<b>x</b>',
      ip: '8.8.8.8',
      country: 'US',
    },
  ]);
});

t.test(
  'the query covers the window with a fixed step and leaves error-log events out',
  async (t) => {
    const dash = new ElasticsearchDashboard({
      search: async () => ({}),
      index: 'x',
      windowSeconds: 60,
      stepSeconds: 5,
    });
    const q = dash.query(NOW) as {
      query: { bool: { filter: unknown[]; must_not: unknown[] } };
      aggs: { over_time: { date_histogram: Record<string, unknown> } };
    };
    const h = q.aggs.over_time.date_histogram;
    t.equal(h.fixed_interval, '5s');
    t.equal(h.min_doc_count, 0);
    const bounds = h.extended_bounds as { min: number; max: number };
    t.equal((bounds.max - bounds.min) / 5000 + 1, 12, '12 steps of 5 s');
    t.ok(bounds.max <= NOW && NOW - bounds.max < 5000);
    t.same(q.query.bool.must_not, [{ term: { 'event.dataset': 'nginx.error' } }]);
  },
);

t.test('answers are shared for 2 s: one search however many viewers', async (t) => {
  let now = NOW;
  let searches = 0;
  const dash = new ElasticsearchDashboard({
    search: async () => {
      searches++;
      return answer();
    },
    index: 'x',
    now: () => now,
  });
  await Promise.all([dash.snapshot(), dash.snapshot(), dash.snapshot()]);
  now += 1999;
  await dash.snapshot();
  t.equal(searches, 1);
  now += 1;
  await dash.snapshot();
  t.equal(searches, 2);
});

t.test('Elasticsearch down: an empty document with the reason, also cached', async (t) => {
  let now = NOW;
  let searches = 0;
  const dash = new ElasticsearchDashboard({
    search: async () => {
      searches++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
    },
    index: 'x',
    now: () => now,
  });
  const s = await dash.snapshot();
  t.match(s.error, /^Elasticsearch: connect ECONNREFUSED/);
  t.equal(s.totals.requests, 0);
  t.same(s.topPages, []);
  t.equal(s.series.t.length, 180, 'the chart keeps its 15 minutes, all zero');
  t.same(new Set(s.series.byClass['2xx']), new Set([0]));
  await dash.snapshot();
  t.equal(searches, 1, 'no retry storm while it is down');
  now += 2000;
  await dash.snapshot();
  t.equal(searches, 2);
});
