// Crash test with real processes: a writer appends numbered lines at a high
// rate and rotates the log; the agent (compiled input, see the fixture) is
// killed with SIGKILL at random moments and restarted, 10 times. Afterwards
// every line must be there, exactly once after de-duplication by
// (sourceId, offset), which is what event.id does downstream.

import t, { type Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = path.join(root, 'test', 'fixtures', 'sources', 'file');
const KILLS = 10;
const WRITE_MS = 4000;

const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));

/** The child runs dist/: it must exist and be newer than the sources. */
function staleBuild(): string | null {
  const src = path.join(root, 'src', 'sources', 'file');
  for (const f of readdirSync(src).filter((n) => n.endsWith('.ts'))) {
    const built = path.join(root, 'dist', 'sources', 'file', f.replace(/\.ts$/, '.js'));
    if (!existsSync(built)) return `${built} is missing`;
    if (statSync(built).mtimeMs < statSync(path.join(src, f)).mtimeMs)
      return `${built} is older than its source`;
  }
  return null;
}

/** Children still running when a case ends (a failed assertion, a timeout) are killed. */
const live = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

t.teardown(() => {
  for (const child of live) child.kill('SIGKILL');
});

function agent(dir: string, out: string, mode: 'run' | 'final') {
  const child = spawn(process.execPath, [path.join(fixtures, 'crash-child.js'), dir, out, mode], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr += s));
  const exited = once(track(child), 'exit') as Promise<[number | null, string | null]>;
  return { child, exited, stderr: () => stderr };
}

async function runCase(t: Test, mode: 'rename' | 'copytruncate') {
  const dir = tempDir(t, `logpod-crash-${mode}-`);
  mkdirSync(path.join(dir, 'logs'));
  const out = path.join(dir, 'out.ndjson');
  const writer = spawn(
    process.execPath,
    [path.join(fixtures, 'crash-writer.js'), path.join(dir, 'logs'), mode, String(WRITE_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let writerOut = '';
  writer.stdout.setEncoding('utf8');
  writer.stdout.on('data', (s: string) => (writerOut += s));
  const writerExit = once(track(writer), 'exit');

  let stderr = '';
  for (let i = 0; i < KILLS; i++) {
    const a = agent(dir, out, 'run');
    await sleep(between(50, 700));
    a.child.kill('SIGKILL');
    const [, signal] = await a.exited;
    stderr += a.stderr();
    t.equal(signal, 'SIGKILL', `agent ${i + 1} was killed, not crashed`);
    await sleep(between(0, 100));
  }
  await writerExit;
  const written = JSON.parse(writerOut) as { lines: number; rotations: number };
  const last = agent(dir, out, 'final');
  const [code] = await last.exited;
  stderr += last.stderr();
  t.equal(code, 0, 'the last agent caught up and stopped cleanly');

  const byKey = new Map<string, string>();
  let conflicts = 0;
  let records = 0;
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (line === '') continue;
    let rec: { s: string; o: number; t: string };
    try {
      rec = JSON.parse(line);
    } catch {
      continue; // a record cut by SIGKILL; its chunk was not acked and came again
    }
    records++;
    const key = `${rec.s}:${rec.o}`;
    const prev = byKey.get(key);
    if (prev !== undefined && prev !== rec.t) conflicts++;
    byKey.set(key, rec.t);
  }
  const keysPerNumber = new Uint32Array(written.lines);
  const malformed: string[] = [];
  for (const text of byKey.values()) {
    const m = /^n=(\d+) x*$/.exec(text);
    if (m === null || Number(m[1]) >= written.lines) malformed.push(text);
    else keysPerNumber[Number(m[1])]++;
  }
  const missing: number[] = [];
  const twice: number[] = [];
  keysPerNumber.forEach((count, n) => {
    if (count === 0) missing.push(n);
    if (count > 1) twice.push(n);
  });
  t.comment(
    `${mode}: ${written.lines} lines, ${written.rotations} rotations, ${KILLS} kills, ` +
      `${records} records delivered, ${byKey.size} after de-duplication`,
  );
  t.equal(conflicts, 0, 'one (sourceId, offset) never names two different lines');
  t.same(malformed.slice(0, 5), [], 'no cut or foreign lines');
  t.same(missing.slice(0, 10), [], `no line lost (${missing.length} missing)`);
  t.same(twice.slice(0, 10), [], `no line under two keys (${twice.length})`);
  if (missing.length + twice.length + conflicts + malformed.length > 0)
    t.comment(stderr.slice(-4000));
}

t.test('crash and restart with rotation', async (t) => {
  const stale = staleBuild();
  if (stale !== null) {
    t.fail(`run \`npm run build\` first (the agent runs from dist/): ${stale}`);
    return;
  }
  await t.test('rename + create', (t) => runCase(t, 'rename'));
  await t.test('copytruncate', (t) => runCase(t, 'copytruncate'));
});
