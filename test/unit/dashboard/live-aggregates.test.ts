import t from 'tap';
import { LiveAggregates } from '../../../src/dashboard/live-aggregates.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0, 500);

interface Req {
  status?: number;
  path?: string;
  at?: number;
  ip?: string;
  country?: [string, string];
  city?: string;
  bot?: boolean;
}

function event(r: Req): EcsEvent {
  const e: EcsEvent = {
    '@timestamp': new Date(r.at ?? NOW).toISOString(),
    event: { original: 'line', dataset: 'nginx.access' },
    http: { request: { method: 'GET' }, response: { status_code: r.status } },
    url: { original: r.path ?? '/', path: r.path ?? '/' },
    source: { ip: r.ip ?? '203.0.113.1' },
  };
  if (r.status === undefined) delete e.http;
  if (r.country !== undefined) {
    (e.source as Record<string, unknown>).geo = {
      country_iso_code: r.country[0],
      country_name: r.country[1],
      ...(r.city ? { city_name: r.city } : {}),
    };
  }
  if (r.bot) e.tags = ['bot'];
  return e;
}

function repeat(n: number, r: Req): EcsEvent[] {
  return Array.from({ length: n }, () => event(r));
}

t.test('totals count every request since start, by status class', async (t) => {
  let now = NOW;
  const live = new LiveAggregates({ now: () => now });
  live.observe([
    ...repeat(5, { status: 200 }),
    ...repeat(2, { status: 301 }),
    ...repeat(3, { status: 404 }),
    ...repeat(1, { status: 503 }),
    event({}), // a parse failure: no status
    { event: { original: 'x', dataset: 'nginx.error' } }, // not a request
    ...repeat(4, { status: 200, at: NOW - 3 * 3600_000 }), // an old line being caught up
  ]);
  now += 3600_000;
  const s = live.snapshot();
  t.equal(s.source, 'live');
  t.equal(s.totalsScope, 'since-start');
  t.equal(s.totals.requests, 16);
  t.same(s.totals.byClass, { '1xx': 0, '2xx': 9, '3xx': 2, '4xx': 3, '5xx': 1, other: 1 });
});

t.test('the per-second series, req/s and the 5xx rate come from event times', async (t) => {
  const live = new LiveAggregates({ windowSeconds: 120, now: () => NOW });
  live.observe([
    ...repeat(30, { status: 200, at: NOW - 2000 }),
    ...repeat(10, { status: 500, at: NOW - 5000 }),
    ...repeat(7, { status: 200, at: NOW - 30_000 }), // outside the 10 s req/s span
    ...repeat(3, { status: 200, at: NOW + 60_000 }), // a clock ahead: counted now
    ...repeat(9, { status: 200, at: NOW - 600_000 }), // before the 120 s window
  ]);
  const s = live.snapshot();
  const nowSec = Math.floor(NOW / 1000);
  t.equal(s.series.stepSeconds, 1);
  t.equal(s.series.t.length, 120);
  t.equal(s.series.t.at(-1), nowSec);
  const at = (sec: number) => s.series.t.indexOf(sec);
  t.equal(s.series.byClass['2xx'][at(nowSec - 2)], 30);
  t.equal(s.series.byClass['5xx'][at(nowSec - 5)], 10);
  t.equal(s.series.byClass['2xx'][at(nowSec)], 3);
  t.equal(s.series.byClass['2xx'][at(nowSec - 30)], 7);
  const inSeries = Object.values(s.series.byClass)
    .flat()
    .reduce((a, b) => a + b, 0);
  t.equal(inSeries, 50, 'the line older than the window is only in the totals');
  t.equal(s.rate.requestsPerSecond, 4, '40 requests in the last 10 complete seconds');
  t.equal(s.rate.errorRate5xx, 10 / 50);
});

t.test('top pages, countries, cities and bots cover the last minutes only', async (t) => {
  let now = NOW;
  const live = new LiveAggregates({ now: () => now });
  live.observe([
    ...repeat(9, { status: 200, path: '/hot', country: ['DE', 'Germany'], city: 'Berlin' }),
    ...repeat(4, { status: 200, path: '/warm', country: ['FR', 'France'], city: 'Paris' }),
    ...repeat(2, { status: 200, path: '/bot-food', bot: true }),
    ...repeat(50, { status: 200, path: '/old', at: NOW - 400_000 }),
  ]);
  let s = live.snapshot();
  t.same(s.topPages, [
    { name: '/hot', count: 9 },
    { name: '/warm', count: 4 },
    { name: '/bot-food', count: 2 },
  ]);
  t.same(s.countries, [
    { name: 'Germany', code: 'DE', count: 9 },
    { name: 'France', code: 'FR', count: 4 },
  ]);
  t.same(s.cities, [
    { name: 'Berlin', country: 'DE', count: 9 },
    { name: 'Paris', country: 'FR', count: 4 },
  ]);
  t.same(s.bots, { bots: 2, people: 13 });

  now += 6 * 60_000;
  live.observe(repeat(1, { status: 200, path: '/new', at: now }));
  s = live.snapshot();
  t.same(s.topPages, [{ name: '/new', count: 1 }], 'six minutes later only the new request');
  t.same(s.countries, []);
  t.equal(s.totals.requests, 66, 'totals keep everything');
});

t.test('recent 5xx: newest first, at most 50, URLs bounded, old lines included', async (t) => {
  const live = new LiveAggregates({ now: () => NOW });
  for (let i = 0; i < 60; i++) {
    live.observe([event({ status: 500 + (i % 4), path: `/fail/${i}`, at: NOW - 86_400_000 + i })]);
  }
  live.observe([event({ status: 502, path: `/long/${'x'.repeat(5000)}` })]);
  const s = live.snapshot();
  t.equal(s.recent5xx.length, 50);
  t.equal(s.recent5xx[0].status, 502);
  t.ok(s.recent5xx[0].url.length <= 1000, 'URL cut');
  t.equal(s.recent5xx[1].url, '/fail/59');
  t.equal(s.recent5xx[49].url, '/fail/11');
  t.equal(s.recent5xx[1].method, 'GET');
  t.equal(s.recent5xx[1].ip, '203.0.113.1');
});

t.test(
  'event times in any ISO shape land in their second; unreadable ones count as now',
  async (t) => {
    const live = new LiveAggregates({ windowSeconds: 60, now: () => NOW });
    const at = (ts: string | undefined): EcsEvent => {
      const e = event({ status: 200 });
      if (ts === undefined) delete e['@timestamp'];
      else e['@timestamp'] = ts;
      return e;
    };
    live.observe([
      at('2026-11-28T11:59:58.100Z'),
      at('2026-11-28T11:59:58.900Z'), // same second as the line before
      at('2026-11-28T13:59:57.000+02:00'), // an offset: 11:59:57Z
      at('2026-11-28T11:59:56Z'),
      at('2026-11-28T11:59:58.999999Z'),
      at('not a time'),
      at(undefined),
    ]);
    const s = live.snapshot();
    const nowSec = Math.floor(NOW / 1000);
    const count = (sec: number) => s.series.byClass['2xx'][s.series.t.indexOf(sec)];
    t.equal(count(nowSec - 2), 3, '11:59:58');
    t.equal(count(nowSec - 3), 1, '11:59:57');
    t.equal(count(nowSec - 4), 1, '11:59:56');
    t.equal(count(nowSec), 2, 'no readable time: now');
  },
);
