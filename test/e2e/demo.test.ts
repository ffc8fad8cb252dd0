// `npm run demo` as a user runs it: scripts/demo/main.js with a bounded --duration,
// beside the test services (the demo finds them running and reuses them), on free
// ports and in a temp folder. The writer's dashboard, opened in Debian's headless
// Chromium, must show countries, cities, top pages and recent 5xx with non-zero
// counts; then Ctrl-C (SIGINT) must stop everything the demo started, leaving no
// process behind. Leaves a screenshot of the dashboard as a test artefact.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Page } from 'playwright-core';
import { elasticsearchUrl, kafkaBrokers } from '../services/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { e2eSkip } from './helpers/e2e-case.js';
import { freePort } from './helpers/nginx.js';

const CHROMIUM = process.env.LOGPOD_TEST_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? e2eSkip() ||
    (process.env.LOGPOD_TEST_KAFKA || process.env.LOGPOD_TEST_ES
      ? 'the demo runs its services through the launcher: not with LOGPOD_TEST_KAFKA / _ES'
      : false)
  : `no Chromium at ${CHROMIUM}: apt-get install chromium (scripts/install-system-deps.sh does)`;

/** Every pid whose command line mentions `text` (from /proc), but this test's own. */
function processesMentioning(text: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(text)) out.push(`${pid} ${cmd.slice(0, 160)}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function tableRows(page: Page, id: string): Promise<string[][]> {
  const rows = page.locator(`[data-testid="${id}"] tbody tr`);
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push(await rows.nth(i).locator('td').allTextContents());
  return out;
}

/** Rows whose last cell is a count above zero (a table's "nothing yet" row has none). */
const counted = (rows: string[][]) => rows.filter((r) => Number(r.at(-1)) > 0);

t.test(
  'npm run demo: the dashboard fills, Ctrl-C leaves nothing running',
  { skip, timeout: 290_000 },
  async (t) => {
    const dir = join(tmpdir(), `logpod-demo-test-${process.pid}`);
    t.teardown(() =>
      import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })),
    );
    // The test services, as the demo's own: it finds them running and reuses them.
    const services = {
      kafkaPort: kafkaBrokers().split(':').at(-1)!,
      esPort: new URL(elasticsearchUrl()).port,
      workDir: resolve(
        process.env.LOGPOD_TEST_SERVICES_DIR || join(REPO_ROOT, 'test', 'services', '.work'),
      ),
    };
    const ports = {
      shop: await freePort(),
      agent: await freePort(),
      writer: await freePort(),
    };
    const demo = spawn(
      process.execPath,
      ['scripts/demo/main.js', '--duration', '8m', '--rate', '20'],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          LOGPOD_DEMO_DIR: dir,
          LOGPOD_DEMO_KAFKA_PORT: services.kafkaPort,
          LOGPOD_DEMO_ES_PORT: services.esPort,
          LOGPOD_DEMO_SERVICES_DIR: services.workDir,
          LOGPOD_DEMO_SHOP_PORT: String(ports.shop),
          LOGPOD_DEMO_AGENT_PORT: String(ports.agent),
          LOGPOD_DEMO_WRITER_PORT: String(ports.writer),
        },
      },
    );
    let out = '';
    demo.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    demo.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => demo.on('close', (c) => resolve(c)));
    const pids = () =>
      [...out.matchAll(/: ready in [\d.]+ s \(pid (\d+)/g)].map((m) => Number(m[1]));
    t.teardown(async () => {
      if (demo.exitCode === null) {
        demo.kill('SIGINT');
        await Promise.race([exited, sleep(60_000, undefined, { ref: false })]);
      }
      // A failed run must not leave the demo's children to the next test.
      for (const pid of pids()) if (alive(pid)) process.kill(-pid, 'SIGKILL');
      if (!t.passing()) process.stderr.write(`\n--- demo output ---\n${out}\n`);
    });

    await waitFor(
      'the demo to be ready',
      async () => {
        if (demo.exitCode !== null) throw new Error(`the demo exited (${demo.exitCode}):\n${out}`);
        return out.includes('everything ready') ? true : undefined;
      },
      90_000,
    ).catch((err: Error) => {
      if (demo.exitCode !== null) t.fail(err.message);
      throw err;
    });
    t.match(out, /kafka: already running, reused/, 'the running Kafka is reused');
    t.match(out, /elasticsearch: already running, reused/, 'the running Elasticsearch is reused');
    for (const name of ['writer', 'agent', 'nginx', 'traffic'])
      t.match(out, new RegExp(`${name}: ready in [\\d.]+ s \\(pid \\d+`), `${name} started`);
    const urls = /writer dashboard +(http:\/\/\S+)/.exec(out);
    t.equal(urls?.[1], `http://127.0.0.1:${ports.writer}/`, 'the dashboard URL is printed');
    t.match(out, `http://127.0.0.1:${ports.agent}/status`, "the agent's status URL is printed");
    t.match(out, `http://127.0.0.1:${ports.shop}/`, "the shop's URL is printed");
    const started = pids();
    t.equal(started.length, 4, 'writer, agent, nginx and traffic each have a pid');

    const profile = join(dir, 'chromium-profile');
    await mkdir(profile, { recursive: true });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    t.teardown(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(urls![1]);

    // The page polls the writer; the writer asks Elasticsearch. Everything must show up.
    const filled = await waitFor(
      'countries, cities, top pages and a 5xx on the dashboard',
      async () => {
        const tables = {
          countries: counted(await tableRows(page, 'countries')),
          cities: counted(await tableRows(page, 'cities')),
          topPages: counted(await tableRows(page, 'top-pages')),
          recent5xx: (await tableRows(page, 'recent-5xx')).filter((r) => /^5\d\d$/.test(r[1])),
        };
        return Object.values(tables).every((rows) => rows.length > 0) ? tables : undefined;
      },
      120_000,
    );
    t.ok(filled.countries.length >= 3, `visitors from ${filled.countries.length} countries`);
    t.ok(
      filled.countries.every((r) => /^[A-Z]{2}$/.test(r[1])),
      'countries carry their ISO code',
    );
    t.ok(filled.cities.length >= 3, `visitors from ${filled.cities.length} cities`);
    t.ok(
      filled.topPages.some((r) => r[0] === '/'),
      'the shop front page is among the top pages',
    );
    t.ok(
      filled.recent5xx.some((r) => ['/api/recommendations', '/api/inventory'].includes(r[3])),
      "the shop's failing APIs are among the recent 5xx",
    );
    t.ok(Number(await page.locator('[data-testid="total-requests"]').textContent()) > 0);
    const shot = join(
      process.env.LOGPOD_TEST_ARTIFACTS ?? join(REPO_ROOT, '.tap', 'artifacts'),
      'logpod-demo-dashboard.png',
    );
    await mkdir(join(shot, '..'), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    t.comment(`screenshot: ${shot}`);
    t.same(problems, [], 'no page errors');
    await context.close();

    // Ctrl-C: the demo stops what it started, in reverse order, and exits 0.
    demo.kill('SIGINT');
    const code = await Promise.race([
      exited,
      sleep(60_000, undefined, { ref: false }).then(() => 'still running'),
    ]);
    t.equal(code, 0, 'the demo exits 0 after Ctrl-C');
    const order = [...out.matchAll(/demo: (\w+): stopped in/g)].map((m) => m[1]);
    t.same(order, ['traffic', 'nginx', 'agent', 'writer'], 'stopped in reverse order');
    t.match(out, /interrupted \(SIGINT\)/);
    t.same(
      started.filter((pid) => alive(pid)),
      [],
      'none of the processes the demo started is alive',
    );
    t.same(processesMentioning(dir), [], 'no process refers to the demo folder');
    t.ok(existsSync(join(dir, 'logs', 'access.log')), "nginx's access log is in the demo folder");
  },
);
