// examples/standalone: the commands its README gives, run as written. The
// laptop command prints every sample line as an event, follows the file, stops
// cleanly and prints nothing twice when run again; the one-shot container
// command (paths mapped from the container) reads the sample once and exits 0.
import { cp, mkdir, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { LOGPOD_BIN, runCli } from '../../helpers/cli.js';
import { readText, repoPath, start, type Running } from './ship-helpers.js';

const README = readText('examples', 'standalone', 'README.md');
const SAMPLE_LINES = readText('examples', 'standalone', 'access.log').split('\n').filter(Boolean);

/** The arguments of the first README command line that starts with `prefix`. */
function readmeArgs(prefix: string): string[] {
  const start = README.indexOf(prefix);
  const end = README.indexOf('\n```', start);
  const command = README.slice(start + prefix.length, end).replaceAll('\\\n', ' ');
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function events(run: Running): { event: { original: string }; tags?: string[] }[] {
  return run
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{"@timestamp"') || l.startsWith('{"event"'))
    .map((l) => JSON.parse(l) as { event: { original: string }; tags?: string[] });
}

async function until(what: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

t.test('the laptop command: every line, then follows, then nothing twice', async (t) => {
  // The README runs from the repository root; a copy keeps ./data out of the repository.
  const root = t.testdir();
  await mkdir(join(root, 'examples'));
  await cp(repoPath('examples', 'standalone'), join(root, 'examples', 'standalone'), {
    recursive: true,
  });
  const args = readmeArgs('node bin/logpod.js run --input');
  const argv = [LOGPOD_BIN, 'run', '--input', ...args];
  t.same(args, ['examples/standalone/*.log', '--from', 'beginning'], 'the command in the README');

  const first = start(t, process.execPath, argv, { cwd: root });
  t.ok(await until(() => events(first).length === SAMPLE_LINES.length), 'every sample line', {
    output: first.output(),
  });
  t.same(
    events(first).map((e) => e.event.original),
    SAMPLE_LINES,
    'in order, each line kept in event.original',
  );
  t.same(
    events(first).filter((e) => e.tags?.includes('_parse_failure')),
    [],
    'all parsed',
  );
  const added =
    '82.64.10.20 - - [28/Nov/2026:09:15:00 +0000] "GET /products/mug HTTP/1.1" 200 1500 "-" "curl/8.5.0" "-"';
  await appendFile(join(root, 'examples', 'standalone', 'access.log'), `${added}\n`);
  t.ok(await until(() => events(first).some((e) => e.event.original === added)), 'it follows');
  first.child.kill('SIGINT');
  t.equal(await first.exited, 0, 'Ctrl-C stops it cleanly');

  // Again, with --once: it reads to the end and stops, so "nothing" is a fact, not a wait.
  const again = start(t, process.execPath, [...argv, '--once'], { cwd: root });
  t.equal(await again.exited, 0, 'the second run ends once caught up', { output: again.output() });
  t.same(events(again), [], 'nothing printed twice');
});

t.test('the one-shot container command, paths mapped to the host', async (t) => {
  const data = t.testdir();
  const args = readmeArgs('logpod:dev \\\n');
  t.same(args.slice(0, 1), ['run'], 'the image entrypoint runs `logpod run`');
  // -v "$PWD/examples/standalone:/logs:ro" and --data-dir /tmp/logpod, on the host.
  const mapped = args.map((a) =>
    a
      .replace(/^\/logs\//, `${repoPath('examples', 'standalone')}/`)
      .replace(/^\/tmp\/logpod$/, data),
  );
  t.ok(args.includes('--once') && args.includes('/tmp/logpod'), 'one shot, registry in /tmp');
  const res = await runCli(mapped);
  t.equal(res.code, 0, 'exit 0', { stderr: res.stderr });
  const lines = res.stdout.split('\n').filter(Boolean);
  t.equal(lines.length, SAMPLE_LINES.length, 'one event per line on stdout');
  t.match(res.stderr, /logpod run summary/, 'the summary on stderr');
});
