import t from 'tap';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  writeSync,
  mkdirSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { FileInput } from '../../../../src/sources/file/file-input.js';
import {
  captureLogger,
  collector,
  RecordedEvents,
  numbered,
  options,
  sleep,
  tempDir,
  waitFor,
  type TestConfig,
  type TestContext,
} from './helpers.js';

function setup(t: TestContext, config: TestConfig = {}) {
  const dir = tempDir(t);
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const { logger, records } = captureLogger();
  const events = new RecordedEvents(logger);
  const opts = options(dir, config);
  const started: FileInput[] = [];
  t.teardown(async () => {
    for (const input of started) await input.stop();
  });
  const start = async (c = collector()) => {
    const input = new FileInput(opts, logger, events);
    started.push(input);
    await input.start(c.onChunk);
    return { input, c };
  };
  /** access.log with `content`, under a glob that also finds its rotated copies. */
  const rotating = (content: string): string => {
    opts.paths = [path.join(logs, 'access.log*')];
    const file = path.join(logs, 'access.log');
    writeFileSync(file, content);
    return file;
  };
  return { dir, logs, logger, records, events, opts, start, rotating };
}

const lines = (from: number, to: number, prefix = 'line') =>
  numbered(from, to, prefix).trimEnd().split('\n');

t.test('reads existing files from the beginning and follows appends', async (t) => {
  const { logs, start } = setup(t);
  writeFileSync(path.join(logs, 'access.log'), numbered(0, 100));
  const { input, c } = await start();
  await input.whenIdle();
  t.same(c.texts(), lines(0, 100));
  appendFileSync(path.join(logs, 'access.log'), numbered(100, 150));
  await waitFor(() => c.lines.length === 150, 5000, 'appended lines');
  t.equal(new Set(c.lines.map((l) => l.sourceId)).size, 1);
  await input.whenIdle();
  const st = input.stats();
  t.equal(st.files.length, 1);
  t.equal(st.files[0].offsetAcked, Buffer.byteLength(numbered(0, 150)));
  t.equal(st.inFlightEvents, 0);
});

t.test(
  "start_at 'end' skips what exists; files appearing later start at the beginning",
  async (t) => {
    const { logs, start } = setup(t, { input: { start_at: 'end' } });
    writeFileSync(path.join(logs, 'old.log'), numbered(0, 10, 'old'));
    const { input, c } = await start();
    await input.whenIdle();
    t.same(c.texts(), []);
    appendFileSync(path.join(logs, 'old.log'), numbered(10, 12, 'old'));
    writeFileSync(path.join(logs, 'new.log'), numbered(0, 3, 'new'));
    await input.whenIdle();
    t.same(c.texts().sort(), [...lines(10, 12, 'old'), ...lines(0, 3, 'new')].sort());
  },
);

t.test(
  'restart resumes from the committed offset: unacked lines are read again, acked never',
  async (t) => {
    const { logs, start, opts } = setup(t, { pipeline: { batch_max_events: 10 } });
    writeFileSync(path.join(logs, 'a.log'), numbered(0, 50));
    const manual = collector(false);
    const first = await start(manual);
    await waitFor(() => manual.chunks.length === 5, 5000, 'five chunks');
    const [c0, c1, c2, c3] = manual.chunks;
    c3.ack();
    c1.ack();
    c0.ack(); // committed now covers chunks 0 and 1; 3 waits for 2
    await first.input.stop({ drainTimeoutMs: 50 });
    t.equal(first.input.stats().files.length, 1);
    t.ok(c2.endOffset > 0);
    const again = await start();
    await again.input.whenIdle();
    t.same(again.c.texts(), lines(20, 50), 'lines from the third chunk on come again, none before');
    t.equal(again.c.lines[0].offset, c1.endOffset);
    t.equal(again.c.lines[0].sourceId, c0.sourceId, 'same source id after restart');
    t.ok(opts.dataDir);
  },
);

t.test(
  'rename + create rotation: the renamed file is finished, then closed; the new one is read from 0',
  async (t) => {
    const ctx = setup(t);
    const file = ctx.rotating(numbered(0, 100));
    const { input, c } = await ctx.start();
    await input.whenIdle();
    const oldId = c.lines[0].sourceId;
    const writer = openSync(file, 'a');
    renameSync(file, `${file}.1`);
    writeSync(writer, numbered(100, 120)); // nginx writes on until it reopens
    closeSync(writer);
    writeFileSync(file, numbered(0, 50, 'new'));
    await input.whenIdle();
    t.same(
      c.lines.filter((l) => l.sourceId === oldId).map((l) => l.text),
      lines(0, 120),
    );
    const fresh = c.lines.filter((l) => l.sourceId !== oldId);
    t.same(
      fresh.map((l) => l.text),
      lines(0, 50, 'new'),
    );
    t.equal(fresh[0].offset, 0);
    t.equal(fresh[0].path, file);
    await waitFor(
      () => input.stats().files.some((f) => f.path === `${file}.1` && !f.open),
      5000,
      'renamed file closed',
    );
    const renamed = input.stats().files.find((f) => f.path === `${file}.1`)!;
    t.equal(renamed.sourceId, oldId, 'the renamed file keeps its identity');
  },
);

t.test(
  'a rotation while stopped is caught up: the renamed file from its saved offset, then the new one',
  async (t) => {
    const ctx = setup(t, { input: { start_at: 'end' } });
    const file = ctx.rotating(numbered(0, 10, 'before'));
    const first = await ctx.start();
    await first.input.whenIdle();
    appendFileSync(file, numbered(0, 100));
    await waitFor(() => first.c.lines.length === 100, 5000, 'first lines');
    await first.input.stop();
    renameSync(file, `${file}.1`);
    appendFileSync(`${file}.1`, numbered(100, 130));
    writeFileSync(file, numbered(0, 20, 'new'));
    const second = await ctx.start();
    await second.input.whenIdle();
    t.same(
      second.c.texts().sort(),
      [...lines(100, 130), ...lines(0, 20, 'new')].sort(),
      'nothing lost, nothing repeated',
    );
    const resumed = second.c.lines.find((l) => l.text === 'line 100')!;
    t.equal(resumed.sourceId, first.c.lines[0].sourceId);
    t.equal(resumed.path, `${file}.1`);
  },
);

t.test('copytruncate: size below the offset starts again at 0 under a new source id', async (t) => {
  const { logs, start } = setup(t);
  const file = path.join(logs, 'access.log');
  writeFileSync(file, numbered(0, 100));
  const { input, c } = await start();
  await input.whenIdle();
  copyFileSync(file, path.join(logs, 'access.log.1'));
  truncateSync(file, 0);
  appendFileSync(file, numbered(0, 30, 'after'));
  await input.whenIdle();
  t.same(c.texts(), [...lines(0, 100), ...lines(0, 30, 'after')]);
  const after = c.lines.filter((l) => l.text.startsWith('after'));
  t.not(after[0].sourceId, c.lines[0].sourceId);
  t.equal(after[0].offset, 0);
});

t.test(
  'a file rewritten in place past the old offset is read again from 0 (fingerprint check)',
  async (t) => {
    const { logs, start } = setup(t);
    const file = path.join(logs, 'access.log');
    writeFileSync(file, numbered(0, 20, 'first'));
    const { input, c } = await start();
    await input.whenIdle();
    writeFileSync(file, numbered(0, 200, 'second'));
    await input.whenIdle();
    t.same(c.texts(), [...lines(0, 20, 'first'), ...lines(0, 200, 'second')]);
  },
);

t.test(
  'copytruncate while stopped, copy matching the patterns: the copy is finished under the old id, no repeats',
  async (t) => {
    const ctx = setup(t);
    const file = ctx.rotating(numbered(0, 100));
    const first = await ctx.start();
    await first.input.whenIdle();
    await first.input.stop();
    appendFileSync(file, numbered(100, 120));
    const tmp = path.join(ctx.logs, 'copy.tmp');
    copyFileSync(file, tmp);
    truncateSync(file, 0);
    renameSync(tmp, `${file}.1`);
    appendFileSync(file, numbered(0, 10, 'after'));
    const second = await ctx.start();
    await second.input.whenIdle();
    t.same(second.c.texts().sort(), [...lines(100, 120), ...lines(0, 10, 'after')].sort());
    const resumed = second.c.lines.find((l) => l.text === 'line 100')!;
    t.equal(resumed.sourceId, first.c.lines[0].sourceId);
    t.equal(resumed.offset, Buffer.byteLength(numbered(0, 100)));
  },
);

t.test(
  'copytruncate seen mid-copy (logrotate copying while the file is read): no line twice',
  async (t) => {
    const ctx = setup(t);
    const file = ctx.rotating(numbered(0, 400));
    const { input, c } = await ctx.start();
    await input.whenIdle();
    // The copy has its first 300 lines (past the fingerprint) when the agent scans it.
    const copy = `${file}.1`;
    writeFileSync(copy, numbered(0, 300));
    appendFileSync(file, numbered(400, 420));
    await input.whenIdle();
    await sleep(500);
    await input.whenIdle();
    t.same(c.texts(), lines(0, 420), 'the copy in progress is not read');
    const waits = ctx.events.of('copy_waiting');
    t.ok(waits.length > 0, 'says that the copy waits');
    t.match(waits[0], { path: copy, original: file, why: 'holds' }, 'for the original');
    // The copy ends at line 410; lines 410..420 were written after it (copytruncate loses them
    // from disk, but they were read already). Then the truncate, then new lines.
    appendFileSync(copy, numbered(300, 410));
    truncateSync(file, 0);
    appendFileSync(file, numbered(0, 30, 'after'));
    await waitFor(() => c.lines.length >= 450, 5000, 'lines after the truncate');
    await sleep(500);
    await input.whenIdle();
    t.same(c.texts(), [...lines(0, 420), ...lines(0, 30, 'after')]);
    const st = input.stats();
    const copied = st.files.find((f) => f.path === copy);
    t.ok(copied, 'the copy is tracked');
    t.equal(copied?.offsetAcked, Buffer.byteLength(numbered(0, 410)), 'the copy counts as read');
  },
);

t.test(
  'copytruncate: a copy behind what the original handed out waits for its acks, then counts as read',
  async (t) => {
    const ctx = setup(t);
    const file = ctx.rotating(numbered(0, 400));
    const { input, c } = await ctx.start(collector(false));
    await waitFor(() => c.lines.length === 400, 5000, 'the first lines');
    const copy = `${file}.1`;
    writeFileSync(copy, numbered(0, 350));
    truncateSync(file, 0);
    appendFileSync(file, numbered(0, 10, 'after'));
    await waitFor(() => c.lines.length === 410, 5000, 'lines after the truncate');
    await sleep(500);
    t.equal(c.lines.length, 410, 'nothing of the copy is read while its lines are unacknowledged');
    for (const chunk of c.chunks) chunk.ack();
    await sleep(500);
    await input.whenIdle();
    for (const chunk of c.chunks) chunk.ack();
    t.same(c.texts(), [...lines(0, 400), ...lines(0, 10, 'after')]);
    const copied = input.stats().files.find((f) => f.path === copy);
    t.equal(copied?.offsetAcked, Buffer.byteLength(numbered(0, 350)), 'the copy counts as read');
  },
);

t.test(
  'a file with the same first bytes as a live file, unchanged for a while, is read as its own',
  async (t) => {
    const ctx = setup(t);
    const content = numbered(0, 400);
    writeFileSync(path.join(ctx.logs, 'a.log'), content);
    const { input, c } = await ctx.start();
    await input.whenIdle();
    const old = new Date(Date.now() - 60_000);
    writeFileSync(path.join(ctx.logs, 'b.log'), content);
    utimesSync(path.join(ctx.logs, 'b.log'), old, old);
    await sleep(500);
    await input.whenIdle();
    t.equal(c.lines.filter((l) => l.path.endsWith('b.log')).length, 400, 'b.log is read');
    t.not(c.lines[0].sourceId, c.lines[400].sourceId);
  },
);

t.test('a file deleted while open is read to its end before it is closed', async (t) => {
  const { logs, start } = setup(t, { input: { read_buffer_bytes: 4096 } });
  const file = path.join(logs, 'access.log');
  writeFileSync(file, numbered(0, 10));
  const { input, c } = await start();
  await input.whenIdle();
  t.ok(input.stats().files[0].open);
  appendFileSync(file, numbered(10, 20000));
  unlinkSync(file);
  await waitFor(() => c.lines.length === 20000, 10000, 'every line of the deleted file');
  t.same(c.texts(), lines(0, 20000));
  await waitFor(() => input.stats().files.length === 0, 5000, 'deleted file dropped');
  t.equal(input.stats().openFiles, 0);
});

t.test('a file replaced by a directory is ignored with a warning; the rest goes on', async (t) => {
  const { logs, start, records, events } = setup(t);
  writeFileSync(path.join(logs, 'a.log'), numbered(0, 5, 'a'));
  writeFileSync(path.join(logs, 'b.log'), numbered(0, 5, 'b'));
  const { input, c } = await start();
  await input.whenIdle();
  rmSync(path.join(logs, 'a.log'));
  mkdirSync(path.join(logs, 'a.log'));
  appendFileSync(path.join(logs, 'b.log'), numbered(5, 10, 'b'));
  await input.whenIdle();
  await input.whenIdle();
  t.same(
    c.texts().filter((x) => x.startsWith('b')),
    lines(0, 10, 'b'),
  );
  const matched = events.of('directory_matched');
  t.ok(matched.length >= 2, 'seen on each rescan');
  t.ok(
    matched.every((e) => e.path === path.join(logs, 'a.log')),
    'the directory is the one reported',
  );
  t.equal(events.counts.directory_matched, matched.length, 'and counted each time');
  const logged = records.filter((r) => r.path === path.join(logs, 'a.log'));
  t.equal(logged.length, 1, 'but logged once, not once per rescan');
});

t.test(
  'long lines are cut at max_line_bytes and flagged; a partial line is emitted after its timeout',
  async (t) => {
    const { logs, start } = setup(t, { input: { max_line_bytes: 100, read_buffer_bytes: 64 } });
    const file = path.join(logs, 'a.log');
    writeFileSync(file, `${'x'.repeat(5000)}\nshort\npartial`);
    const { input, c } = await start();
    await waitFor(() => c.lines.length === 3, 5000, 'partial line after its timeout');
    t.same(
      c.lines.map((l) => [l.text, l.offset, l.truncated]),
      [
        ['x'.repeat(100), 0, true],
        ['short', 5001, false],
        ['partial', 5007, false],
      ],
    );
    appendFileSync(file, ' continued\n');
    await waitFor(() => c.lines.length === 4, 5000, 'continuation');
    t.same([c.lines[3].text, c.lines[3].offset], [' continued', 5014]);
    const st = input.stats();
    t.equal(st.truncatedLines, 1);
    t.equal(st.skippedBytes, 4900);
  },
);

t.test(
  'a closed file renamed out of the patterns is read to its end before it is forgotten',
  async (t) => {
    const ctx = setup(t, { input: { close_inactive: '300ms' } });
    const file = path.join(ctx.logs, 'access.log');
    writeFileSync(file, numbered(0, 10));
    const { input, c } = await ctx.start();
    await waitFor(() => c.lines.length === 10, 10000, 'the first lines');
    await waitFor(() => input.stats().files[0]?.open === false, 10000, 'closed by close_inactive');
    // Written and renamed before logpod looks again (nginx's last lines, then logrotate).
    appendFileSync(file, numbered(10, 5000));
    const moved = path.join(ctx.logs, 'access.log-20261205');
    renameSync(file, moved);
    await waitFor(() => c.lines.length === 5000, 10000, 'the rest of the moved file');
    t.same(c.texts(), lines(0, 5000), 'every line once, in order');
    t.equal(c.lines.at(-1)!.path, moved, 'read under its new name');
    const seen = ctx.events.of('file_moved_away');
    t.equal(seen.length, 1);
    t.match(seen[0], { path: file, to: moved, reason: 'file_moved_away' });
    await waitFor(() => input.stats().files.length === 0, 10000, 'forgotten once read');
    t.equal(input.stats().openFiles, 0, 'its descriptor is closed');
    const registry = path.join(ctx.opts.dataDir, 'registry.json');
    const saved = () =>
      (JSON.parse(readFileSync(registry, 'utf8')) as { entries: Record<string, unknown>[] })
        .entries[0];
    await waitFor(() => saved()?.offset === Buffer.byteLength(numbered(0, 5000)), 10000, 'saved');
    t.match(saved(), { path: moved, rotated: Number }, 'the registry records the rotation');
  },
);

t.test('a closed file that was deleted is simply forgotten', async (t) => {
  const ctx = setup(t, { input: { close_inactive: '300ms' } });
  const file = path.join(ctx.logs, 'access.log');
  writeFileSync(file, numbered(0, 10));
  writeFileSync(path.join(ctx.logs, 'other.txt'), 'not a log\n');
  const { input, c } = await ctx.start();
  await waitFor(() => c.lines.length === 10, 10000, 'the lines');
  await waitFor(() => input.stats().files[0]?.open === false, 10000, 'closed by close_inactive');
  unlinkSync(file);
  await waitFor(() => input.stats().files.length === 0, 10000, 'dropped');
  t.equal(ctx.events.of('file_moved_away').length, 0);
  t.equal(c.lines.length, 10);
});

t.test(
  'remove_after: a rotated file goes once every line is acknowledged, never before',
  async (t) => {
    const ctx = setup(t, { input: { remove_after: '300ms' } });
    const file = ctx.rotating(numbered(0, 100));
    const c = collector(false);
    const { input } = await ctx.start(c);
    await waitFor(() => c.lines.length === 100, 10000, 'the lines, unacknowledged');
    const rotated = `${file}.1`;
    renameSync(file, rotated);
    writeFileSync(file, numbered(100, 110));
    await waitFor(() => c.lines.length === 110, 10000, 'the new file too');
    await sleep(1000);
    t.ok(existsSync(rotated), 'kept while a line of it is not acknowledged');
    const live = c.lines[100].sourceId;
    t.not(live, c.lines[0].sourceId);
    for (const chunk of c.chunks) if (chunk.sourceId === live) chunk.ack();
    await sleep(1000);
    t.ok(existsSync(rotated), 'acknowledging the new file does not remove the rotated one');
    for (const chunk of c.chunks) chunk.ack();
    await waitFor(
      () => ctx.events.of('file_removed').length > 0,
      10000,
      'the rotated file removed',
    );
    t.notOk(existsSync(rotated), 'gone');
    t.ok(existsSync(file), 'the live file stays');
    t.match(ctx.events.of('file_removed'), [
      { path: rotated, size: Buffer.byteLength(numbered(0, 100)) },
    ]);
    await waitFor(() => input.stats().files.length === 1, 10000, 'forgotten');
    await sleep(1000);
    t.ok(existsSync(file), 'the live file still stays, however quiet');
  },
);

t.test('remove_after is off by default: a shipped rotated file stays', async (t) => {
  const ctx = setup(t);
  const file = ctx.rotating(numbered(0, 10));
  const { input, c } = await ctx.start();
  await waitFor(() => c.lines.length === 10, 10000, 'the lines');
  renameSync(file, `${file}.1`);
  await input.whenIdle();
  await sleep(1500);
  t.ok(existsSync(`${file}.1`));
  t.equal(ctx.events.of('file_removed').length, 0);
});

t.test('remove_after: a path that names another file by then is left alone', async (t) => {
  const ctx = setup(t, { input: { remove_after: '200ms', close_renamed: '10s' } });
  const file = ctx.rotating(numbered(0, 10));
  const c = collector(false);
  const { input } = await ctx.start(c);
  await waitFor(() => c.lines.length === 10, 10000, 'the lines');
  renameSync(file, `${file}.1`);
  await waitFor(() => input.stats().files[0]?.path === `${file}.1`, 10000, 'seen renamed');
  // Replaced behind logpod's back, then its lines acknowledged.
  const other = path.join(ctx.logs, 'elsewhere');
  renameSync(`${file}.1`, other);
  writeFileSync(`${file}.1`, 'not the same file\n');
  for (const chunk of c.chunks) chunk.ack();
  await sleep(1500);
  t.ok(existsSync(`${file}.1`), 'the other file is not deleted');
  t.equal(ctx.events.of('file_removed').length, 0);
});

t.test(
  'a closed file whose inode now holds another file out of the patterns is not read',
  async (t) => {
    const ctx = setup(t, { input: { close_inactive: '300ms' } });
    const file = path.join(ctx.logs, 'access.log');
    writeFileSync(file, numbered(0, 10));
    const { input, c } = await ctx.start();
    await waitFor(() => c.lines.length === 10, 10000, 'the lines');
    await waitFor(() => input.stats().files[0]?.open === false, 10000, 'closed by close_inactive');
    // Same dev/ino, other content: what a freed and reused inode looks like.
    const other = path.join(ctx.logs, 'access.log.gz');
    renameSync(file, other);
    writeFileSync(other, 'compressed bytes, not lines of the log\n');
    await waitFor(() => input.stats().files.length === 0, 10000, 'forgotten');
    await sleep(500);
    t.equal(c.lines.length, 10, 'nothing of the other file is read');
    t.equal(ctx.events.of('file_moved_away').length, 0);
  },
);
