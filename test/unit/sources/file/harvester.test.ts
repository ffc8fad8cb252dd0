import t from 'tap';
import {
  appendFileSync,
  mkdirSync,
  renameSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { FileInput } from '../../../../src/sources/file/file-input.js';
import { Harvester } from '../../../../src/sources/file/harvester.js';
import { Cursor } from '../../../../src/sources/file/cursor.js';
import { newCounters } from '../../../../src/sources/file/types.js';
import { FileKey, fingerprintOf } from '../../../../src/sources/file/identity.js';
import { captureLogger, collector, options, tempDir, waitFor } from './helpers.js';

function harvesterFor(file: string, fpBytes = 16) {
  const st = statSync(file, { bigint: true });
  const content = Buffer.alloc(0);
  const fp = fingerprintOf(content);
  const cursor = new Cursor({
    sourceId: 'x',
    path: file,
    dev: String(st.dev),
    ino: String(st.ino),
    fpLen: fp.len,
    fpHash: fp.hash,
    offset: 0,
    lastSeen: 0,
    detached: false,
  });
  return new Harvester({
    key: FileKey.ofStats(st),
    path: file,
    cursor,
    size: Number(st.size),
    fingerprintBytes: fpBytes,
    maxLineBytes: 100,
    counters: newCounters(),
  });
}

t.test('a harvester keeps reading its file through the handle after a rename', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  writeFileSync(file, 'one\n');
  const h = harvesterFor(file);
  t.equal(await h.open(), 'ok');
  t.teardown(() => h.close());
  const buf = Buffer.alloc(64);
  const r1 = await h.read(buf);
  t.equal(r1.kind, 'data');
  renameSync(file, `${file}.1`);
  appendFileSync(`${file}.1`, 'two\n');
  const r2 = await h.read(buf);
  t.same(r2.kind === 'data' ? r2.lines.map((l) => l.buf.toString('utf8', l.start, l.end)) : r2, [
    'two',
  ]);
  t.equal((await h.read(buf)).kind, 'eof');
});

t.test('a harvester reports truncation and a rewritten prefix as changed', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  writeFileSync(file, 'first line here\n');
  const h = harvesterFor(file);
  await h.open();
  t.teardown(() => h.close());
  const buf = Buffer.alloc(64);
  await h.read(buf);
  t.equal(h.cursor.entry.fpLen, 16, 'the fingerprint grew with the file');
  truncateSync(file, 0);
  t.equal((await h.read(buf)).kind, 'changed');
  writeFileSync(file, 'OTHER line here, longer than before\n');
  t.equal((await h.read(buf)).kind, 'changed', 'same inode, larger, different first bytes');
});

t.test('a 50 MB line costs bounded memory and does not stop the file', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  const file = path.join(dir, 'logs', 'big.log');
  const mb = Buffer.alloc(1024 * 1024, 0x61);
  writeFileSync(file, 'before\n');
  for (let i = 0; i < 50; i++) appendFileSync(file, mb);
  appendFileSync(file, '\nafter\n');
  global.gc?.();
  const base = process.memoryUsage();
  let peakArrayBuffers = 0;
  let peakRss = 0;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers - base.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  }, 2);
  const { logger } = captureLogger();
  const input = new FileInput(options(dir, { input: { max_line_bytes: 64 * 1024 } }), logger);
  const c = collector();
  await input.start(c.onChunk);
  t.teardown(() => input.stop());
  await waitFor(() => c.lines.length === 3, 20000, 'three lines');
  clearInterval(sample);
  t.same(
    c.lines.map((l) => [l.text.length, l.truncated]),
    [
      [6, false],
      [64 * 1024, true],
      [5, false],
    ],
  );
  t.equal(c.lines[2].text, 'after');
  t.equal(input.stats().skippedBytes, 50 * 1024 * 1024 - 64 * 1024);
  const MB = 1024 * 1024;
  t.ok(peakArrayBuffers < 8 * MB, `buffer memory grew by ${(peakArrayBuffers / MB).toFixed(1)} MB`);
  t.ok(peakRss < 25 * MB, `rss grew by ${(peakRss / MB).toFixed(1)} MB`);
});
