import t from 'tap';
import { open, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import {
  FileKey,
  fingerprintOf,
  makeSourceId,
  prefixMatches,
  readPrefix,
} from '../../../../src/sources/file/identity.js';
import { tempDir } from './helpers.js';

t.test('a small file keeps its identity as it grows', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  await writeFile(file, 'short\n');
  const h = await open(file, 'r');
  t.teardown(() => h.close());
  const first = fingerprintOf(await readPrefix(h, 1024));
  t.equal(first.len, 6);
  await appendFile(file, 'x'.repeat(3000));
  const grown = await readPrefix(h, 1024);
  t.equal(grown.length, 1024);
  t.ok(
    prefixMatches(grown, { fpLen: first.len, fpHash: first.hash }),
    'the first-sight prefix still matches',
  );
  await writeFile(file, 'other content\n');
  t.notOk(prefixMatches(await readPrefix(h, 1024), { fpLen: first.len, fpHash: first.hash }));
});

t.test(
  'source ids: deterministic for a full fingerprint, never shared for short ones',
  async (t) => {
    const full = fingerprintOf(Buffer.alloc(1024, 0x61));
    t.equal(
      makeSourceId(FileKey.parse('1:2'), full, 1024),
      makeSourceId(FileKey.parse('1:2'), full, 1024),
    );
    t.match(makeSourceId(FileKey.parse('1:2'), full, 1024), /^[0-9a-f]{16}$/);
    t.not(
      makeSourceId(FileKey.parse('1:2'), full, 1024),
      makeSourceId(FileKey.parse('1:3'), full, 1024),
    );
    const empty = fingerprintOf(Buffer.alloc(0));
    t.not(
      makeSourceId(FileKey.parse('1:2'), empty, 1024),
      makeSourceId(FileKey.parse('1:2'), empty, 1024),
    );
  },
);

t.test('a file key reads back what it wrote, exact for 64-bit inode numbers', async (t) => {
  const key = FileKey.ofStats({ dev: 2049n, ino: 18446744073709551557n });
  t.equal(key.toString(), '2049:18446744073709551557');
  t.equal(key.ino, '18446744073709551557', 'no rounding through a number');
  const back = FileKey.parse(key.toString());
  t.ok(back.equals(key));
  t.same([back.dev, back.ino], ['2049', '18446744073709551557']);
  t.ok(FileKey.of({ dev: '2049', ino: '18446744073709551557' }).equals(key), 'same from an entry');
  t.notOk(FileKey.parse('2049:1').equals(key));
});

t.test('a file key refuses text that is not dev:ino', async (t) => {
  for (const text of ['', '12', ':1', '1:', '1:2:3']) {
    t.throws(() => FileKey.parse(text), RangeError, JSON.stringify(text));
  }
});
