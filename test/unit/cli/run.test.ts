import t, { type Test } from 'tap';
import { scratchDir } from '../../helpers/testdir.js';
import { appendFile, chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

const line = (n: number) =>
  `198.51.100.${n % 250} - - [28/Nov/2026:09:00:${String(n % 60).padStart(2, '0')} +0000] "GET /item/${n} HTTP/1.1" 200 ${n} "-" "curl/8" "-"\n`;

async function workdir(t: Test): Promise<string> {
  const dir = scratchDir(t);
  return dir;
}

async function readEvents(
  path: string,
): Promise<{ url: { path: string }; event: { id: string } }[]> {
  const text = await readFile(path, 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

t.test('run from flags alone: every line once, and a second run repeats nothing', async (t) => {
  const dir = await workdir(t);
  const log = join(dir, 'access.log');
  await writeFile(log, Array.from({ length: 500 }, (_, i) => line(i)).join(''));
  const args = [
    'run',
    '--input',
    join(dir, '*.log'),
    '--from',
    'beginning',
    '--output',
    `file:${join(dir, 'out.ndjson')}`,
  ];
  const first = await runCli([...args, '--data-dir', join(dir, 'data'), '--once']);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /events written\s+500/);
  let events = await readEvents(join(dir, 'out.ndjson'));
  t.same(
    events.map((e) => e.url.path),
    Array.from({ length: 500 }, (_, i) => `/item/${i}`),
  );

  await appendFile(log, line(500) + line(501));
  const second = await runCli([...args, '--data-dir', join(dir, 'data'), '--once']);
  t.equal(second.code, 0, second.stderr);
  events = await readEvents(join(dir, 'out.ndjson'));
  t.equal(events.length, 502, 'only the two new lines were added');
  t.equal(new Set(events.map((e) => e.event.id)).size, 502, 'ids are unique');
});

t.test('stdout output: events on stdout, logs and the summary on stderr', async (t) => {
  const dir = await workdir(t);
  await writeFile(join(dir, 'a.log'), line(1) + line(2));
  const res = await runCli([
    'run',
    '-i',
    join(dir, 'a.log'),
    '--from',
    'beginning',
    '-d',
    join(dir, 'data'),
    '--once',
  ]);
  t.equal(res.code, 0, res.stderr);
  const events = res.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.equal(events.length, 2);
  t.equal(events[0].log.file.path, join(dir, 'a.log'));
  t.equal(events[1].log.offset, Buffer.byteLength(line(1)));
  t.match(res.stderr, /logpod run summary/);
});

t.test('flags override the config file', async (t) => {
  const dir = await workdir(t);
  await writeFile(join(dir, 'a.log'), '10.0.0.1 GET /x 200\n');
  const config = join(dir, 'logpod.yaml');
  await writeFile(
    config,
    `data_dir: ${join(dir, 'data')}
inputs:
  - paths: [${join(dir, 'nothing-here-*.log')}]
    start_at: end
output:
  file: { path: ${join(dir, 'from-config.ndjson')} }
server:
  listen: 127.0.0.1:0
`,
  );
  const res = await runCli([
    'run',
    '--config',
    config,
    '--input',
    join(dir, 'a.log'),
    '--log-format',
    '$remote_addr $request_method $uri $status',
    '--from',
    'beginning',
    '--output',
    `file:${join(dir, 'from-flags.ndjson')}`,
    '--once',
  ]);
  t.equal(res.code, 0, res.stderr);
  const [event] = await readEvents(join(dir, 'from-flags.ndjson'));
  t.equal(event.url.path, '/x');
});

t.test('without inputs, or with a bad flag value, nothing starts and exit is 2', async (t) => {
  const noInput = await runCli(['run', '--once']);
  t.equal(noInput.code, 2);
  t.match(noInput.stderr, /inputs/);
  const badFrom = await runCli(['run', '--input', '/tmp/x.log', '--from', 'middle', '--once']);
  t.equal(badFrom.code, 2);
  t.match(badFrom.stderr, /start_at.*beginning, end/);
  const badOutput = await runCli(['run', '--input', '/tmp/x.log', '--output', 'kafka', '--once']);
  t.equal(badOutput.code, 2);
  t.match(badOutput.stderr, /--output must be "stdout", "file:PATH" or "elasticsearch:URL"/);
});

t.test('regression: run warns at start when credentials would travel in clear', async (t) => {
  const dir = await workdir(t);
  await writeFile(join(dir, 'a.log'), line(1));
  const config = join(dir, 'logpod.yaml');
  await writeFile(
    config,
    `data_dir: ${join(dir, 'data')}
inputs:
  - paths: [${join(dir, 'a.log')}]
    start_at: beginning
output:
  file: { path: ${join(dir, 'out.ndjson')} }
server: { enabled: false }
alerts:
  webhook:
    url: http://127.0.0.1:9/hook-SECRET
    headers: { Authorization: Bearer hdr-SECRET }
`,
  );
  const res = await runCli(['run', '--config', config, '--once']);
  t.equal(res.code, 0, res.stderr);
  const logs = res.stdout + res.stderr;
  t.match(logs, /"level":"warn".*alerts\.webhook: credentials travel without TLS/);
  t.notMatch(logs, /SECRET/);
});

t.test('--once with a file it cannot read: counted in the summary, exit 4', async (t) => {
  const dir = await workdir(t);
  // Root reads everything: as root the command runs as "nobody" instead.
  const asRoot = process.getuid?.() === 0;
  const nobody = 65534;
  await writeFile(join(dir, 'a.log'), line(1) + line(2), { mode: 0o644 });
  await writeFile(join(dir, 'b.log'), line(3), { mode: 0o600 });
  await mkdir(join(dir, 'out'));
  if (asRoot) {
    await chmod(dir, 0o755);
    await chown(join(dir, 'out'), nobody, nobody);
  } else {
    await chmod(join(dir, 'b.log'), 0o000);
  }
  const res = await runCli(
    [
      'run',
      '--input',
      join(dir, '*.log'),
      '--from',
      'beginning',
      '--data-dir',
      join(dir, 'out', 'data'),
      '--output',
      `file:${join(dir, 'out', 'events.ndjson')}`,
      '--once',
    ],
    // Without the test runner's hooks, which cannot write their records as that user.
    asRoot ? { uid: nobody, env: { NODE_OPTIONS: '' } } : {},
  );
  t.equal(res.code, 4, res.stderr);
  t.match(res.stdout, /events written\s+2/);
  t.match(res.stdout, /unreadable files\s+1 \(permission denied, not read: .*b\.log\)/);
  t.match(res.stderr, /permission denied/);
  t.equal((await readEvents(join(dir, 'out', 'events.ndjson'))).length, 2, 'the rest was read');
});
