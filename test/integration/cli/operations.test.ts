// Operations of a real `logpod run` process: /metrics equals what was
// actually processed, the probes answer, and SIGTERM in the middle of a
// catch-up saves the registry so a restart neither loses nor repeats a line.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';

const line = (n: number) =>
  `198.51.100.${n % 250} - - [28/Nov/2026:09:00:00 +0000] "GET /op/${n} HTTP/1.1" ${n % 10 === 0 ? 503 : 200} ${n} "-" "curl/8" "-"\n`;

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  address: Promise<string>;
}

function startRun(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [LOGPOD_BIN, 'run', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  const address = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /"address":"([^"]+)","msg":"probe server listening"/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`exited before listening:\n${out}`)));
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, exited, address };
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function outputPaths(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l).url?.path as string | undefined) ?? '(unparsed)');
}

t.test(
  'metrics equal what was processed; probes answer; SIGTERM mid-catch-up loses and repeats nothing',
  async (t) => {
    const dir = t.testdir();
    const log = join(dir, 'access.log');
    const out = join(dir, 'out.ndjson');
    const N = 50_000;
    let text = '';
    for (let i = 0; i < N; i++) text += line(i);
    await writeFile(log, text + 'this line does not parse\n');
    const args = [
      '--input',
      log,
      '--from',
      'beginning',
      '--output',
      `file:${out}`,
      '--data-dir',
      join(dir, 'data'),
      '--listen',
      '127.0.0.1:0',
    ];

    // SIGTERM while catching up: whatever was written is saved, the rest comes next run.
    const first = startRun(args);
    t.teardown(() => first.child.kill('SIGKILL'));
    const base = `http://${await first.address}`;
    await waitFor('startup', async () => (await fetch(`${base}/startupz`)).status === 200);
    t.equal((await fetch(`${base}/livez`)).status, 200, 'live');
    t.equal((await fetch(`${base}/readyz`)).status, 200, 'ready');
    await waitFor(
      'some lines read',
      async () => (await metric(base, 'logpod_lines_read_total')) > 0,
    );
    first.child.kill('SIGTERM');
    t.equal(await first.exited, 0, 'clean exit on SIGTERM');
    const afterFirst = (await outputPaths(out)).length;
    t.comment(`stopped after ${afterFirst} of ${N + 1} lines`);

    await appendFile(log, line(N));
    const second = startRun(args);
    t.teardown(() => second.child.kill('SIGKILL'));
    const base2 = `http://${await second.address}`;
    const total = N + 2;
    await waitFor(
      'every line written',
      async () => (await outputPaths(out)).length >= total,
      120_000,
    );
    await waitFor(
      'acks counted',
      async () => (await metric(base2, 'logpod_events_acked_total')) === total - afterFirst,
    );

    const paths = await outputPaths(out);
    t.equal(paths.length, total, 'no line lost, none repeated across the stop');
    t.equal(new Set(paths).size, total, 'every line once: the requests and the unparsed line');
    t.equal(
      await metric(base2, 'logpod_lines_read_total'),
      total - afterFirst,
      'lines read = lines this run wrote',
    );
    t.equal(await metric(base2, 'logpod_events_acked_total'), total - afterFirst);
    t.equal(
      await metric(base2, 'logpod_parse_failures_total'),
      afterFirst > N ? 0 : 1,
      'the unparsed line counted once',
    );
    const status = (await (await fetch(`${base2}/status`)).json()) as Record<string, unknown>;
    t.ok(status, '/status answers JSON');
    second.child.kill('SIGTERM');
    t.equal(await second.exited, 0);
  },
);

/** A non-loopback IPv4 address of this machine: a client "from elsewhere". */
function outsideAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

const outside = outsideAddress();

t.test(
  'regression: a run on every address shows /status and the dashboard to loopback or the token only',
  { skip: outside === undefined ? 'no non-loopback IPv4 address here' : false },
  async (t) => {
    const dir = t.testdir();
    const log = join(dir, 'access.log');
    await writeFile(log, line(1));
    const config = join(dir, 'logpod.yaml');
    await writeFile(
      config,
      `data_dir: ${join(dir, 'data')}
inputs:
  - paths: [${log}]
    start_at: beginning
output:
  file: { path: ${join(dir, 'out.ndjson')} }
server:
  listen: 0.0.0.0:0
  allowed_hosts: ['${outside}']
  auth: { token_env: LOGPOD_TEST_DASHBOARD_TOKEN }
`,
    );
    const token = 'an-integration-test-token-0123456789';
    const run = startRun(['--config', config], { LOGPOD_TEST_DASHBOARD_TOKEN: token });
    t.teardown(() => run.child.kill('SIGKILL'));
    const port = Number((await run.address).split(':').pop());
    const far = `http://${outside}:${port}`;
    const near = `http://127.0.0.1:${port}`;
    await waitFor('startup', async () => (await fetch(`${far}/startupz`)).status === 200);
    t.equal((await fetch(`${far}/livez`)).status, 200, 'probes answer from elsewhere');
    t.equal((await fetch(`${far}/metrics`)).status, 200, '/metrics too');
    t.equal((await fetch(`${far}/status`)).status, 401, '/status needs the token from elsewhere');
    t.equal((await fetch(`${far}/api/dashboard`)).status, 401, 'so does the dashboard API');
    const auth = { headers: { authorization: `Bearer ${token}` } };
    t.equal((await fetch(`${far}/status`, auth)).status, 200, 'the token opens it');
    t.equal((await fetch(`${near}/status`)).status, 200, 'loopback needs no token');
    run.child.kill('SIGTERM');
    t.equal(await run.exited, 0);
  },
);
