// Symlinks in the log directory: whoever can write there (the nginx container,
// anyone on the shared volume) must not make logpod read and ship another file.
import t, { type Test } from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileInput } from '../../../../src/sources/file/file-input.js';
import {
  captureLogger,
  collector,
  numbered,
  options,
  RecordedEvents,
  sleep,
  tempDir,
  waitFor,
} from './helpers.js';

const SECRET = '-----BEGIN PRIVATE KEY----- not for shipping\n';

function setup(t: Test) {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  mkdirSync(path.join(dir, 'secrets'));
  const secret = path.join(dir, 'secrets', 'tls.key');
  writeFileSync(secret, SECRET);
  writeFileSync(path.join(dir, 'logs', 'access.log'), numbered(0, 3));
  return { dir, secret, logs: path.join(dir, 'logs') };
}

t.test('a symlink present at start is skipped, with one warning naming it', async (t) => {
  const { dir, secret, logs } = setup(t);
  symlinkSync(secret, path.join(logs, 'evil.log'));
  const { logger, records } = captureLogger();
  const events = new RecordedEvents(logger);
  const input = new FileInput(options(dir, { input: { start_at: 'end' } }), logger, events);
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  writeFileSync(path.join(logs, 'access.log'), numbered(0, 5));
  await input.whenIdle();
  await sleep(500); // a few rescans
  await input.whenIdle();
  t.same(c.texts(), ['line 3', 'line 4'], 'only the real log, from its end');
  t.notOk(
    c.lines.some((l) => l.text.includes('PRIVATE KEY')),
    'nothing of the link target',
  );
  const skipped = events.of('symlinks_skipped');
  t.equal(skipped.length, 1, 'reported once over several rescans');
  t.same(skipped[0].paths, [path.join(logs, 'evil.log')]);
  t.equal(events.counts.symlinks_skipped, 1, 'and counted');
  t.equal(
    records.filter((r) => r.level === 40 && Array.isArray(r.paths)).length,
    1,
    'one warning naming it',
  );
  t.same(
    input.stats().files.map((f) => path.basename(f.path)),
    ['access.log'],
  );
});

t.test('a symlink created after start (start_at: end) is never read', async (t) => {
  const { dir, secret, logs } = setup(t);
  const { logger } = captureLogger();
  const events = new RecordedEvents(logger);
  const input = new FileInput(options(dir, { input: { start_at: 'end' } }), logger, events);
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  await input.whenIdle();
  symlinkSync(secret, path.join(logs, 'late.log'));
  await input.whenIdle();
  await waitFor(() => events.of('symlinks_skipped').length === 1, 5000, 'the event');
  await sleep(500);
  await input.whenIdle();
  t.same(c.texts(), [], 'nothing read: the new link is not a new file');
  t.same(events.of('symlinks_skipped')[0].paths, [path.join(logs, 'late.log')]);
});

t.test('a linked directory is not descended into', async (t) => {
  const { dir, logs } = setup(t);
  symlinkSync(path.join(dir, 'secrets'), path.join(logs, 'app'));
  writeFileSync(path.join(dir, 'secrets', 'x.log'), SECRET);
  const { logger } = captureLogger();
  const input = new FileInput(
    options(dir, {
      input: { paths: [path.join(logs, '*.log'), path.join(logs, '*', '*.log')] },
    }),
    logger,
  );
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  await input.whenIdle();
  t.same(c.texts(), ['line 0', 'line 1', 'line 2']);
});

t.test('follow_symlinks: true reads files through their links', async (t) => {
  const { dir, secret, logs } = setup(t);
  symlinkSync(secret, path.join(logs, 'linked.log'));
  const { logger } = captureLogger();
  const events = new RecordedEvents(logger);
  const input = new FileInput(options(dir, { input: { follow_symlinks: true } }), logger, events);
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  await input.whenIdle();
  t.ok(c.texts().includes(SECRET.trimEnd()), 'the target was read');
  t.equal(events.counts.symlinks_skipped, 0);
});
