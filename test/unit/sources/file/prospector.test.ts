import t from 'tap';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileInput } from '../../../../src/sources/file/file-input.js';
import {
  captureLogger,
  collector,
  numbered,
  options,
  tempDir,
  type TestContext,
} from './helpers.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function setup(t: TestContext) {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  const { logger, records } = captureLogger();
  const opts = options(dir);
  const run = async () => {
    const input = new FileInput(opts, logger);
    const c = collector();
    await input.start(c.onChunk);
    await input.whenIdle();
    await input.stop();
    return c;
  };
  return { dir, file: path.join(dir, 'logs', 'a.log'), run, records };
}

t.test(
  'a small file keeps its source id as it grows past the fingerprint size, across restarts',
  async (t) => {
    const { file, run } = setup(t);
    writeFileSync(file, 'tiny\n');
    const first = await run();
    appendFileSync(file, numbered(0, 300));
    const second = await run();
    t.same(first.texts(), ['tiny']);
    t.same(second.texts(), numbered(0, 300).trimEnd().split('\n'));
    t.equal(second.lines[0].sourceId, first.lines[0].sourceId);
  },
);

t.test(
  'the same inode with other first bytes is a new file, read from 0 (inode reuse)',
  async (t) => {
    const { file, run } = setup(t);
    writeFileSync(file, numbered(0, 200, 'old'));
    const first = await run();
    writeFileSync(file, numbered(0, 400, 'new')); // same inode, longer than the saved offset
    const second = await run();
    t.same(second.texts(), numbered(0, 400, 'new').trimEnd().split('\n'));
    t.not(second.lines[0].sourceId, first.lines[0].sourceId);
    t.equal(second.lines[0].offset, 0);
  },
);

t.test('an unreadable file: one warning, the other files go on', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'logs', 'ok.log'), 'ok 1\n');
  writeFileSync(path.join(dir, 'logs', 'secret.log'), 'secret\n');
  chmodSync(path.join(dir, 'logs', 'secret.log'), 0o000);
  // Root ignores file modes: the input then runs in a child process as nobody.
  for (const d of [dir, path.join(dir, 'logs'), path.join(dir, 'data')]) chmodSync(d, 0o777);
  chmodSync(path.join(dir, 'logs', 'ok.log'), 0o666);
  const child = fileURLToPath(
    new URL('../../../fixtures/sources/file/unreadable-child.ts', import.meta.url),
  );
  const loader = process.execArgv.filter((a) => a.includes('@tapjs/typescript'));
  const result = spawnSync(process.execPath, [...loader, child, dir], {
    encoding: 'utf8',
    timeout: 30_000,
    cwd: dir,
    // tap's process tracking follows children; as nobody it must write under dir
    env: { ...process.env, _TAPJS_PROCESSINFO_CWD_: dir },
    ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  t.equal(result.status, 0, 'the child ran');
  t.equal(result.stderr, '', 'and wrote nothing to stderr');
  const out = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
    lines: string[];
    unreadable: Array<{ path: string; code?: string }>;
    records: Array<{ level: number; path?: string }>;
  };
  t.same(out.lines, ['ok 1', 'ok 2']);
  const secret = path.join(dir, 'logs', 'secret.log');
  t.ok(out.unreadable.length >= 2, 'reported on each rescan');
  t.same(
    new Set(out.unreadable.map((e) => `${e.path} ${e.code}`)),
    new Set([`${secret} EACCES`]),
    'as permission denied on the secret file only',
  );
  const warnings = out.records.filter((r) => r.path === secret);
  t.equal(warnings.length, 1, 'logged once across several rescans');
  t.equal(warnings[0].level, 40, 'as a warning');
});
