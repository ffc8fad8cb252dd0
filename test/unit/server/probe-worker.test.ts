// The probe worker keeps answering while the main event loop is blocked: a real child
// process (test/fixtures/server/probe-fixture.mjs) blocks itself through the debug
// switch. Run from source (TS loader) and from dist/ when `npm run build` is current.

import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request, until } from '../../fixtures/server/http.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../../fixtures/server/probe-fixture.mjs', import.meta.url));

async function startFixture(
  t: { teardown(fn: () => unknown): void },
  which: 'src' | 'dist',
  env: Record<string, string>,
): Promise<string> {
  const execArgv = which === 'src' ? process.execArgv : [];
  const child = spawn(process.execPath, [...execArgv, fixture, which], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => stopChild(child));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve((JSON.parse(out.slice(0, nl)) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${stderr}`)));
  });
  return `http://127.0.0.1:${port}`;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** dist/ is usable when every compiled server and metrics file is newer than its source. */
function distIsCurrent(): boolean {
  for (const dir of ['server', 'metrics']) {
    for (const name of readdirSync(`${root}src/${dir}`)) {
      if (!name.endsWith('.ts')) continue;
      const built = `${root}dist/${dir}/${name.slice(0, -3)}.js`;
      if (
        !existsSync(built) ||
        statSync(built).mtimeMs < statSync(`${root}src/${dir}/${name}`).mtimeMs
      )
        return false;
    }
  }
  return true;
}

for (const which of ['src', 'dist'] as const) {
  const skip =
    which === 'dist' && !distIsCurrent()
      ? 'dist/ is missing or older than src/: run npm run build'
      : false;

  t.test(
    `${which}: /livez is 503 while the event loop is blocked, 200 after`,
    { skip },
    async (t) => {
      const base = await startFixture(t, which, {
        LOGPOD_DEBUG_ENDPOINTS: '1',
        FIXTURE_BLOCKED_MS: '300',
      });
      t.equal(
        (
          await until(
            () => request(`${base}/readyz`),
            (a) => a.status === 200,
          )
        ).status,
        200,
      );
      t.equal((await request(`${base}/livez`)).status, 200, 'live before');
      t.match((await request(`${base}/metrics`)).text, /^logpod_lines_read_total 7$/m);

      const block = await request(`${base}/debug/block?ms=4000`, { method: 'POST' });
      t.equal(block.status, 202);
      const blocked = await until(
        () => request(`${base}/livez`),
        (a) => a.status === 503,
      );
      t.equal(blocked.status, 503, 'an honest 503, not a timeout');
      t.match(JSON.parse(blocked.text).reason, /^event loop blocked for \d+ ms$/);

      const forwarded = await request(`${base}/metrics`);
      t.equal(forwarded.status, 503, '/metrics needs the main thread');
      t.same(JSON.parse(forwarded.text), { error: 'event loop blocked' });
      t.equal(
        (await request(`${base}/startupz`)).status,
        200,
        '/startupz answers from shared memory',
      );
      t.equal(
        (await request(`${base}/readyz`)).status,
        200,
        '/readyz answers the last known state',
      );

      const back = await until(
        () => request(`${base}/livez`),
        (a) => a.status === 200,
      );
      t.equal(back.status, 200, 'live again once the loop runs');
      t.match((await request(`${base}/metrics`)).text, /^logpod_lines_read_total 7$/m);
    },
  );
}

t.test(
  'with the event loop blocked, a pile of /metrics requests leaves room for probes',
  async (t) => {
    const base = await startFixture(t, 'src', {
      LOGPOD_DEBUG_ENDPOINTS: '1',
      FIXTURE_BLOCKED_MS: '300',
      FIXTURE_REQUEST_TIMEOUT_MS: '3000',
    });
    await until(
      () => request(`${base}/readyz`),
      (a) => a.status === 200,
    );
    t.equal((await request(`${base}/debug/block?ms=3000`, { method: 'POST' })).status, 202);
    // 100 scrapes that wait on the blocked main thread (the server caps connections at 64)
    const piled = Array.from({ length: 100 }, () =>
      fetch(`${base}/metrics`, { signal: AbortSignal.timeout(8000) }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const live = await request(`${base}/livez`);
    t.ok(Date.now() - started < 1000, `/livez answered in ${Date.now() - started} ms`);
    t.equal(live.status, 503, 'and said the loop is blocked');
    await Promise.all(piled);
  },
);
