// The live dashboard in a real browser (Debian's headless Chromium, driven by
// playwright-core): `logpod run` tails a log the test writes known traffic into, and the
// page must show those numbers, render attacker-controlled URLs as text, fetch nothing
// from elsewhere, and break no Content-Security-Policy rule. Leaves a screenshot behind.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import { ensureDashboardBuilt } from './ensure-built.js';

const CHROMIUM = process.env.LOGPOD_TEST_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}: apt-get install chromium (scripts/install-system-deps.sh does)`;

const XSS_5XX = '/admin/<img/src/onerror=window.__xss=1>';
const XSS_PAGE = '/<b>bold</b>';

/** The traffic: [count, status, path, client ip, user agent]. 300 requests. */
const TRAFFIC: [number, number, string, string, string][] = [
  [100, 200, '/products/hot', '8.8.8.8', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'],
  [50, 200, '/about', '81.2.69.142', 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0'],
  [20, 200, XSS_PAGE, '203.0.113.7', 'curl/8.5.0'],
  [30, 200, '/contact', '8.8.8.8', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'],
  [30, 301, '/old-page', '81.2.69.142', 'Mozilla/5.0 (compatible; Googlebot/2.1)'],
  [55, 404, '/missing', '203.0.113.9', 'Mozilla/5.0 (compatible; bingbot/2.0)'],
  [10, 500, '/api/checkout', '8.8.8.8', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'],
  [3, 503, '/api/pay', '81.2.69.142', 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0'],
  [1, 502, XSS_5XX, '203.0.113.66', 'evil'],
  [1, 504, '/report.csv?id=7&sig=%22%3E', '203.0.113.67', 'curl/8.5.0'],
];

function logTime(d: Date): string {
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}

function lines(): string[] {
  const out: string[] = [];
  for (const [n, status, path, ip, ua] of TRAFFIC) {
    for (let i = 0; i < n; i++) {
      out.push(`${ip} - - [TIME] "GET ${path} HTTP/1.1" ${status} 512 "-" "${ua}"\n`);
    }
  }
  // interleave, so every append carries a mix
  return out
    .map((l, i) => ({ l, k: (i * 7919) % out.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.l);
}

function startRun(args: string[]): {
  child: ChildProcess;
  port: Promise<number>;
  logs: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [LOGPOD_BIN, 'run', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info' },
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    const onData = (c: string) => {
      out += c;
      const m = /"address":"127\.0\.0\.1:(\d+)"/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    child.once('close', (code) =>
      reject(new Error(`logpod run exited (${code}) before listening:\n${out}`)),
    );
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, port, logs: () => out, exited };
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const textOf = (page: Page, id: string) =>
  page.locator(`[data-testid="${id}"]`).first().textContent();

async function tableRows(page: Page, id: string): Promise<string[][]> {
  const rows = page.locator(`[data-testid="${id}"] tbody tr`);
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push(await rows.nth(i).locator('td').allTextContents());
  return out;
}

async function waitForText(page: Page, id: string, text: string): Promise<void> {
  await waitFor(`${id} to show ${text}`, async () =>
    (await textOf(page, id)) === text ? true : undefined,
  );
}

t.test(
  'the live dashboard shows the traffic written to the log',
  { skip, timeout: 120_000 },
  async (t) => {
    ensureDashboardBuilt(t);
    const dir = t.testdir();
    const log = join(dir, 'access.log');
    const events = join(dir, 'events.ndjson');
    await writeFile(log, '');
    const run = startRun([
      '--input',
      log,
      '--format',
      'combined',
      '--from',
      'beginning',
      '--output',
      `file:${events}`,
      '--data-dir',
      join(dir, 'data'),
      '--listen',
      '127.0.0.1:0',
    ]);
    t.teardown(async () => {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      await run.exited;
    });
    const port = await run.port;
    const origin = `http://127.0.0.1:${port}`;

    // The traffic arrives while logpod runs, in three appends.
    const all = lines();
    for (let i = 0; i < 3; i++) {
      const stamp = logTime(new Date());
      await appendFile(
        log,
        all
          .slice(i * 100, (i + 1) * 100)
          .map((l) => l.replace('TIME', stamp))
          .join(''),
      );
      await new Promise((r) => setTimeout(r, 300));
    }
    const written = await waitFor('300 events in the output', async () => {
      const text = await readFile(events, 'utf8').catch(() => '');
      const evs = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      return evs.length >= 300 ? evs : undefined;
    });
    t.equal(written.length, 300);

    const profile = join(dir, 'chromium-profile');
    await mkdir(profile);
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    t.teardown(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(`${origin}/`)) foreign.push(r.url());
    });
    // The page's own code must break no Content-Security-Policy rule.
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
    });

    await page.goto(`${origin}/`);
    await waitForText(page, 'total-requests', '300');
    t.equal(await textOf(page, 'class-2xx'), '200');
    t.equal(await textOf(page, 'class-3xx'), '30');
    t.equal(await textOf(page, 'class-4xx'), '55');
    t.equal(await textOf(page, 'class-5xx'), '15');
    t.match(await textOf(page, 'status'), /^from this process · updated/);
    t.match(await textOf(page, 'error-rate'), /^\d+(\.\d+)? %$/);

    const pages = await tableRows(page, 'top-pages');
    t.same(pages[0], ['/products/hot', '100'], 'the top page and its count');
    t.same(pages[1], ['/missing', '55']);
    t.ok(
      pages.some((r) => r[0] === XSS_PAGE && r[1] === '20'),
      'markup in a path shown as text',
    );
    t.equal(
      await page.locator('[data-testid="top-pages"] tbody b').count(),
      0,
      'and not as markup',
    );

    const errors = await tableRows(page, 'recent-5xx');
    t.equal(errors.length, 15, 'every 5xx listed');
    const byUrl = (url: string) => errors.filter((r) => r[3] === url);
    t.equal(byUrl('/api/checkout').length, 10);
    t.same(
      byUrl('/api/pay').map((r) => r[1]),
      ['503', '503', '503'],
    );
    t.same(
      byUrl(XSS_5XX).map((r) => [r[1], r[2], r[4]]),
      [['502', 'GET', '203.0.113.66']],
    );
    t.equal(byUrl('/report.csv?…').length, 1, 'the query string is cut by default');
    t.equal(
      await page.locator('[data-testid="recent-5xx"] img').count(),
      0,
      'no element from a URL',
    );
    t.equal(await page.evaluate('window.__xss'), undefined, 'no script ran');

    // Countries and bots depend on the enrichment: compare with what the events carry.
    const countries = new Map<string, number>();
    let bots = 0;
    for (const e of written) {
      const code = e.source?.geo?.country_iso_code;
      if (code) countries.set(code, (countries.get(code) ?? 0) + 1);
      if (e.tags?.includes('bot') || e.user_agent?.device?.name === 'Spider') bots++;
    }
    const shown = await tableRows(page, 'countries');
    if (countries.size === 0) {
      t.comment(
        'the events carry no source.geo (enrichment absent): the country table must be empty',
      );
      t.same(shown, [['no located visitors yet']]);
    } else {
      const expected = [...countries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      t.same(
        shown.map((r) => [r[1], Number(r[2])]),
        expected,
        'countries as the events carry them',
      );
    }
    t.ok(
      await page.locator('[data-testid="enrichment-note"]').isHidden(),
      'run enriches itself: no note about the writer',
    );
    t.equal(await textOf(page, 'bots'), String(bots));
    t.equal(await textOf(page, 'people'), String(300 - bots));
    t.ok(await page.locator('[data-testid="chart"] canvas').count(), 'the chart is drawn');

    // One more poll with new traffic: the page keeps up without a reload.
    await appendFile(
      log,
      `8.8.8.8 - - [${logTime(new Date())}] "GET /late HTTP/1.1" 500 1 "-" "x"\n`,
    );
    await waitForText(page, 'total-requests', '301');
    t.equal(await textOf(page, 'class-5xx'), '16');
    t.equal((await tableRows(page, 'recent-5xx'))[0][3], '/late', 'newest 5xx first');

    const shot = join(process.env.LOGPOD_TEST_ARTIFACTS ?? tmpdir(), 'logpod-dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.comment(`screenshot: ${shot}`);
    t.same(problems, [], 'no console errors, page errors or CSP violations');
    t.same(foreign, [], 'nothing fetched from anywhere but logpod');
  },
);
