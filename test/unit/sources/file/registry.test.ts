import t from 'tap';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { FileInput } from '../../../../src/sources/file/file-input.js';
import { Registry, type RegistryEntry } from '../../../../src/sources/file/registry.js';
import { FileKey } from '../../../../src/sources/file/identity.js';
import {
  captureLogger,
  collector,
  numbered,
  options,
  RecordedEvents,
  tempDir,
  waitFor,
} from './helpers.js';

function entry(id: string, lastSeen: number): RegistryEntry {
  return {
    sourceId: id,
    path: `/x/${id}`,
    dev: '1',
    ino: id,
    fpLen: 3,
    fpHash: 'h',
    offset: 10,
    lastSeen,
    detached: false,
  };
}

t.test('writes atomically: a failed write leaves the previous registry whole', async (t) => {
  const dir = tempDir(t);
  const events = new RecordedEvents();
  const reg = new Registry(dir, 'in', events);
  await reg.load();
  reg.put(entry('a', Date.now()));
  t.ok(await reg.flush());
  const before = readFileSync(reg.file, 'utf8');
  t.same(readdirSync(dir), ['registry.json'], 'no temp file left behind');
  // Root ignores modes: the temp file cannot be created where a file stands for the directory.
  renameSync(dir, `${dir}.aside`);
  writeFileSync(dir, '');
  reg.put(entry('b', Date.now()));
  t.notOk(await reg.flush());
  t.equal(reg.writeErrors, 1);
  t.match(events.of('registry_write_failed'), [{ file: reg.file, failures: 1 }]);
  unlinkSync(dir);
  renameSync(`${dir}.aside`, dir);
  t.equal(readFileSync(reg.file, 'utf8'), before);
  t.same(readdirSync(dir), ['registry.json'], 'no temp file left behind');
  t.ok(await reg.flush(), 'retried and written');
  t.match(events.of('registry_write_recovered'), [{ file: reg.file }], 'says so once');
  const saved = JSON.parse(readFileSync(reg.file, 'utf8'));
  t.same(saved.entries.map((e: RegistryEntry) => e.sourceId).sort(), ['a', 'b']);
  const loaded = new RecordedEvents();
  const again = new Registry(dir, 'in', loaded);
  await again.load();
  t.equal(again.size, 2);
  t.match(loaded.seen, [{ event: 'registry_loaded', entries: 2 }]);
  t.equal(again.byKey(FileKey.parse('1:a'))?.offset, 10);
});

t.test('clean_after removes entries not seen for that long, unless still in use', async (t) => {
  const dir = tempDir(t);
  const reg = new Registry(dir, 'in', new RecordedEvents());
  const now = Date.now();
  reg.put(entry('old', now - 10_000));
  reg.put(entry('busy', now - 10_000));
  reg.put(entry('new', now));
  t.equal(
    reg.cleanup(now, 5_000, (e) => e.sourceId === 'busy'),
    1,
  );
  t.same([...reg.entries.keys()].sort(), ['busy', 'new']);
  t.equal(reg.byKey(FileKey.parse('1:old')), undefined);
});

t.test('a corrupt registry is moved aside with one log line and reading goes on', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  const opts = options(dir);
  mkdirSync(opts.dataDir, { recursive: true });
  writeFileSync(path.join(dir, 'logs', 'a.log'), numbered(0, 5));
  writeFileSync(path.join(opts.dataDir, 'registry.json'), '{"version":1,"entries":[{"sourceId":');
  const { logger, records } = captureLogger();
  const events = new RecordedEvents(logger);
  const input = new FileInput(opts, logger, events);
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  await input.whenIdle();
  t.equal(c.lines.length, 5);
  const corrupt = events.of('registry_corrupt');
  t.equal(corrupt.length, 1);
  t.match(corrupt[0], { reason: /malformed|not JSON/, movedTo: /registry\.json\.corrupt-/ });
  t.equal(records.filter((r) => r.level === 50).length, 1, 'logged once, as an error');
  const aside = readdirSync(opts.dataDir).filter((f) => f.startsWith('registry.json.corrupt-'));
  t.equal(aside.length, 1);
  t.match(
    readFileSync(path.join(opts.dataDir, aside[0]), 'utf8'),
    /"sourceId":$/,
    'the corrupt file is kept for inspection',
  );
});

t.test('a missing registry is one info line', async (t) => {
  const dir = tempDir(t);
  const events = new RecordedEvents();
  const reg = new Registry(path.join(dir, 'new', 'dir'), 'in', events);
  await reg.load();
  t.equal(reg.size, 0);
  t.same(events.seen, [{ event: 'registry_missing', file: reg.file }]);
});

t.test(
  'an unwritable registry: error logged (rate-limited), counted, reading goes on, retried',
  async (t) => {
    const dir = tempDir(t);
    const opts = options(dir, { registry: { flush_interval: 20 } });
    const data = opts.dataDir;
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'logs', 'a.log'), numbered(0, 5));
    const { logger, records } = captureLogger();
    const events = new RecordedEvents(logger);
    const input = new FileInput(opts, logger, events);
    const c = collector();
    await input.start(c.onChunk);
    t.teardown(() => input.stop());
    await input.whenIdle();
    // Root ignores directory modes: the writes are blocked by a file standing
    // where the directory was (moved aside, then put back).
    renameSync(data, `${data}.aside`);
    writeFileSync(data, '');
    await waitFor(() => input.stats().registryWriteErrors >= 3, 5000, 'several failed writes');
    writeFileSync(path.join(dir, 'logs', 'a.log'), numbered(0, 8));
    await input.whenIdle();
    t.equal(c.lines.length, 8, 'reading went on');
    const failed = events.of('registry_write_failed');
    t.ok(failed.length >= 3, 'each failed write is an event');
    t.equal(events.counts.registry_write_failed, failed.length, 'and counted');
    t.equal(input.stats().events.registry_write_failed, failed.length, 'in the input stats too');
    const errors = records.filter((r) => r.level === 50 && r.file !== undefined);
    t.equal(errors.length, 1, 'one error line despite repeated failures');
    unlinkSync(data);
    renameSync(`${data}.aside`, data);
    const offset = () =>
      JSON.parse(readFileSync(path.join(data, 'registry.json'), 'utf8')).entries[0].offset;
    await waitFor(
      () => offset() === Buffer.byteLength(numbered(0, 8)),
      5000,
      'registry written after the retry',
    );
    t.same(readdirSync(data), ['registry.json'], 'no temp file left behind');
  },
);

t.test('the registry is private: directory 0700, file 0600', async (t) => {
  const dir = tempDir(t);
  const data = path.join(dir, 'data', 'inputs', 'in');
  const reg = new Registry(data, 'in', new RecordedEvents());
  const umask = process.umask(0);
  t.teardown(() => process.umask(umask));
  await reg.load();
  reg.put(entry('a', Date.now()));
  t.ok(await reg.flush());
  t.equal(statSync(data).mode & 0o777, 0o700);
  t.equal(statSync(path.join(dir, 'data')).mode & 0o777, 0o700, 'parents it created too');
  t.equal(statSync(reg.file).mode & 0o777, 0o600);
});

t.test('a symlink planted at the old temp name is never written through', async (t) => {
  const dir = tempDir(t);
  const victim = path.join(tempDir(t), 'victim');
  writeFileSync(victim, 'precious\n');
  const reg = new Registry(dir, 'in', new RecordedEvents());
  await reg.load();
  symlinkSync(victim, `${reg.file}.tmp`);
  reg.put(entry('a', Date.now()));
  t.ok(await reg.flush());
  reg.put(entry('b', Date.now()));
  t.ok(await reg.flush());
  t.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the link target is untouched');
  t.equal(JSON.parse(readFileSync(reg.file, 'utf8')).entries.length, 2);
  t.same(readdirSync(dir).sort(), ['registry.json', 'registry.json.tmp'], 'only the planted link');
});

t.test('entries of files gone longer than clean_after leave the registry file', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  writeFileSync(path.join(dir, 'logs', 'gone.log'), numbered(0, 3));
  writeFileSync(path.join(dir, 'logs', 'kept.log'), numbered(0, 3));
  const { logger } = captureLogger();
  const opts = options(dir, { registry: { clean_after: 300, flush_interval: 50 } });
  const input = new FileInput(opts, logger);
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  await input.whenIdle();
  unlinkSync(path.join(dir, 'logs', 'gone.log'));
  const file = path.join(opts.dataDir, 'registry.json');
  const paths = () =>
    existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')).entries as RegistryEntry[]).map((e) =>
          path.basename(e.path),
        )
      : [];
  await waitFor(() => paths().length === 2, 5000, 'both entries saved');
  await waitFor(() => paths().length === 1, 5000, 'gone entry cleaned');
  t.same(paths(), ['kept.log']);
});
