import t, { type Test } from 'tap';
import { scratchDir } from '../../helpers/testdir.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dashboardRoutes } from '../../../src/dashboard/routes.js';
import { DashboardAssets } from '../../../src/dashboard/static-assets.js';
import { LiveAggregates } from '../../../src/dashboard/live-aggregates.js';

async function assetDir(t: Test, files: Record<string, string>): Promise<URL> {
  const dir = scratchDir(t);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}

const text = (body: string | Buffer) => (typeof body === 'string' ? body : body.toString('utf8'));

t.test('serves the page with a strict CSP, its assets, and the JSON API', async (t) => {
  const dir = await assetDir(t, {
    'index.html': '<!doctype html><p>page</p>',
    'dashboard.js': 'console.log(1)',
    'dashboard.css': 'p{}',
  });
  const live = new LiveAggregates();
  const route = dashboardRoutes(() => live.snapshot(), new DashboardAssets(dir));

  const page = (await route({ method: 'GET', url: '/' }))!;
  t.equal(page.status, 200);
  t.match(page.headers!['content-type'], /^text\/html/);
  t.match(page.headers!['content-security-policy'], /default-src 'none'; script-src 'self'/);
  t.notMatch(page.headers!['content-security-policy'], /unsafe-inline|https?:/);
  t.equal(text(page.body), '<!doctype html><p>page</p>');

  const js = (await route({ method: 'GET', url: '/dashboard.js?v=1' }))!;
  t.match(js.headers!['content-type'], /^text\/javascript/);
  t.equal(js.headers!['x-content-type-options'], 'nosniff');
  const css = (await route({ method: 'HEAD', url: '/dashboard.css' }))!;
  t.match(css.headers!['content-type'], /^text\/css/);

  const api = (await route({ method: 'GET', url: '/api/dashboard' }))!;
  t.equal(api.status, 200);
  t.match(api.headers!['content-type'], /^application\/json/);
  const doc = JSON.parse(text(api.body));
  t.equal(doc.source, 'live');
  t.equal(doc.totals.requests, 0);
});

t.test('unknown paths are left to the server (404); writes are refused', async (t) => {
  const route = dashboardRoutes(() => new LiveAggregates().snapshot(), new DashboardAssets());
  t.equal(await route({ method: 'GET', url: '/nope' }), undefined);
  t.equal(await route({ method: 'GET', url: '/../package.json' }), undefined);
  t.equal((await route({ method: 'POST', url: '/api/dashboard' }))!.status, 405);
  t.equal((await route({ method: 'DELETE', url: '/' }))!.status, 405);
});

t.test(
  'a page that was never built answers 503 with how to build it; the API still works',
  async (t) => {
    const dir = await assetDir(t, {});
    const route = dashboardRoutes(() => new LiveAggregates().snapshot(), new DashboardAssets(dir));
    const page = (await route({ method: 'GET', url: '/' }))!;
    t.equal(page.status, 503);
    t.match(text(page.body), /npm run build/);
    t.equal((await route({ method: 'GET', url: '/api/dashboard' }))!.status, 200);
  },
);

t.test('a snapshot that throws is a 503 with the reason', async (t) => {
  const route = dashboardRoutes(() => {
    throw new Error('boom');
  });
  const res = (await route({ method: 'GET', url: '/api/dashboard' }))!;
  t.equal(res.status, 503);
  t.same(JSON.parse(text(res.body)), { error: 'boom' });
});

function errorTraffic(): LiveAggregates {
  const live = new LiveAggregates();
  const at = new Date().toISOString();
  live.observe([
    {
      '@timestamp': at,
      event: { original: '' },
      http: { request: { method: 'GET' }, response: { status_code: 502 } },
      url: { original: '/reset?token=reset-SECRET&u=1' },
      source: { ip: '203.0.113.77' },
    },
    {
      '@timestamp': at,
      event: { original: '' },
      http: { request: { method: 'POST' }, response: { status_code: 500 } },
      url: { original: '/login?session=sess-SECRET' },
      source: { ip: '2001:db8:1:2::5' },
    },
  ]);
  return live;
}

t.test('regression: the API shows URLs without their query string by default', async (t) => {
  const live = errorTraffic();
  const route = dashboardRoutes(() => live.snapshot());
  const body = text((await route({ method: 'GET', url: '/api/dashboard' }))!.body);
  t.notMatch(body, /SECRET/);
  const doc = JSON.parse(body);
  t.same(
    doc.recent5xx.map((e: { url: string }) => e.url),
    ['/login?…', '/reset?…'],
  );
  t.same(
    doc.recent5xx.map((e: { ip: string }) => e.ip),
    ['2001:db8:1:2::5', '203.0.113.77'],
    'addresses are shown unless masking is on',
  );
});

t.test('query strings are kept on request; client addresses can be masked', async (t) => {
  const live = errorTraffic();
  const keep = dashboardRoutes(() => live.snapshot(), undefined, {
    showQueryStrings: true,
    maskClientIps: false,
  });
  const kept = JSON.parse(text((await keep({ method: 'GET', url: '/api/dashboard' }))!.body));
  t.equal(kept.recent5xx[1].url, '/reset?token=reset-SECRET&u=1');
  const mask = dashboardRoutes(() => live.snapshot(), undefined, {
    showQueryStrings: false,
    maskClientIps: true,
  });
  const masked = JSON.parse(text((await mask({ method: 'GET', url: '/api/dashboard' }))!.body));
  t.same(
    masked.recent5xx.map((e: { ip: string }) => e.ip),
    ['2001:db8:1::', '203.0.113.0'],
  );
});
