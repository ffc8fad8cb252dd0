import t from 'tap';
import { readFile, chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSink } from '../../../src/sinks/file.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const ev = (n: number): EcsEvent => ({ event: { original: `line ${n}` }, message: `m${n}` });

t.test('appends NDJSON and acknowledges each batch after the write', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'nested', 'out.ndjson');
  const sink = new FileSink({ path, fsync: true });
  await sink.start();
  let acks = 0;
  await sink.write({ events: [ev(1), ev(2)], bytes: 12, ack: () => acks++ });
  await sink.write({ events: [ev(3)], bytes: 6, ack: () => acks++ });
  await sink.close();
  t.equal(acks, 2);
  const lines = (await readFile(path, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.same(
    lines.map((l) => l.message),
    ['m1', 'm2', 'm3'],
  );

  const again = new FileSink({ path, fsync: false });
  await again.start();
  await again.write({ events: [ev(4)], bytes: 6, ack: () => acks++ });
  await again.close();
  t.equal(
    (await readFile(path, 'utf8')).trimEnd().split('\n').length,
    4,
    'a restart appends, never truncates',
  );
});

t.test('a file that cannot be opened is a clear, non-retryable error', async (t) => {
  const dir = t.testdir();
  await mkdir(join(dir, 'is-a-dir'));
  const sink = new FileSink({ path: join(dir, 'is-a-dir'), fsync: true });
  await t.rejects(sink.start(), { code: 'OUTPUT_WRITE', retryable: false, message: /is-a-dir/ });
  await chmod(dir, 0o755);
});

t.test('a failed write is retryable and does not acknowledge', async (t) => {
  const dir = t.testdir();
  const sink = new FileSink({ path: join(dir, 'out.ndjson'), fsync: true });
  await sink.start();
  await sink.close();
  let acked = false;
  await t.rejects(sink.write({ events: [ev(1)], bytes: 1, ack: () => (acked = true) }), {
    code: 'OUTPUT_WRITE',
  });
  t.equal(acked, false);
});

t.test('an output file it creates is not readable by others (0640)', async (t) => {
  const dir = t.testdir();
  const umask = process.umask(0);
  t.teardown(() => process.umask(umask));
  const path = join(dir, 'out.ndjson');
  const sink = new FileSink({ path, fsync: false });
  await sink.start();
  await sink.close();
  t.equal((await stat(path)).mode & 0o777, 0o640);
});

t.test('fsync is a group commit: every batch acknowledged once on disk, in order', async (t) => {
  const dir = t.testdir();
  const sink = new FileSink({ path: join(dir, 'out.ndjson'), fsync: true });
  await sink.start();
  const acked: number[] = [];
  for (let b = 0; b < 20; b++) {
    await sink.write({ events: [ev(b)], bytes: 6, ack: () => acked.push(b) });
  }
  await sink.flush();
  t.same(
    acked,
    Array.from({ length: 20 }, (_, b) => b),
    'all acknowledged, in order',
  );
  await sink.close();
});

t.test('a failed fsync acknowledges nothing it covered and stops the output', async (t) => {
  const dir = t.testdir();
  const sink = new FileSink({ path: join(dir, 'out.ndjson'), fsync: true });
  await sink.start();
  const handle = (sink as unknown as { handle: { sync: () => Promise<void> } }).handle;
  handle.sync = () => Promise.reject(new Error('EIO: i/o error, fsync'));
  let acked = false;
  await sink.write({ events: [ev(1)], bytes: 6, ack: () => (acked = true) });
  await t.rejects(sink.flush(), { code: 'OUTPUT_WRITE', retryable: false, message: /sync.*EIO/ });
  t.equal(acked, false, 'not acknowledged: a restart reads it again');
  await t.rejects(sink.write({ events: [ev(2)], bytes: 6, ack: () => {} }), {
    code: 'OUTPUT_WRITE',
    retryable: false,
  });
  await sink.close();
});
