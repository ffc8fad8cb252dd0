import t from 'tap';
import { LineFramer } from '../../../../src/sources/file/framer.js';
import { newCounters, type RawLine } from '../../../../src/sources/file/types.js';

function frame(parts: string[], max = 100) {
  const counters = newCounters();
  const framer = new LineFramer(max, counters);
  const out: RawLine[] = [];
  let pos = 0;
  for (const p of parts) {
    const b = Buffer.from(p);
    framer.push(b, pos, out);
    b.fill(0x21); // the caller reuses its buffer: lines must not see it
    pos += b.length;
  }
  const lines = out.map((l) => ({
    text: l.buf.toString('utf8', l.start, l.end),
    offset: l.offset,
    truncated: l.truncated,
  }));
  return { lines, framer, counters, out };
}

t.test('LF and CRLF lines, offsets at each line start', async (t) => {
  const { lines, framer } = frame(['a\r\nbb\n\nccc\r\n']);
  t.same(lines, [
    { text: 'a', offset: 0, truncated: false },
    { text: 'bb', offset: 3, truncated: false },
    { text: '', offset: 6, truncated: false },
    { text: 'ccc', offset: 7, truncated: false },
  ]);
  t.equal(framer.lineStart, 12);
  t.notOk(framer.hasPartial);
});

t.test('a partial last line is held until completed, across reads', async (t) => {
  const { lines, framer } = frame(['one\ntw', 'o part', 'ial\r', '\nthree']);
  t.same(
    lines.map((l) => [l.text, l.offset]),
    [
      ['one', 0],
      ['two partial', 4],
    ],
  );
  t.ok(framer.hasPartial);
  t.equal(framer.lineStart, 17);
});

t.test('a timed-out partial line is emitted; its continuation is its own line', async (t) => {
  const counters = newCounters();
  const framer = new LineFramer(100, counters);
  const out: RawLine[] = [];
  framer.push(Buffer.from('abc\nhalf'), 0, out);
  t.ok(framer.flushPartial(out));
  framer.push(Buffer.from(' more\n'), 8, out);
  t.same(
    out.map((l) => [l.buf.toString('utf8', l.start, l.end), l.offset]),
    [
      ['abc', 0],
      ['half', 4],
      [' more', 8],
    ],
  );
  t.notOk(framer.flushPartial(out), 'nothing left to flush');
});

t.test('lines longer than max_line_bytes are cut, flagged and the rest skipped', async (t) => {
  const long = 'x'.repeat(25);
  const { lines, counters } = frame(
    [`${long}\nok\n`, `${'y'.repeat(12)}`, `${'y'.repeat(30)}\r\nz\n`],
    10,
  );
  t.same(lines, [
    { text: 'x'.repeat(10), offset: 0, truncated: true },
    { text: 'ok', offset: 26, truncated: false },
    { text: 'y'.repeat(10), offset: 29, truncated: true },
    { text: 'z', offset: 73, truncated: false },
  ]);
  t.equal(counters.truncatedLines, 2);
  t.equal(counters.skippedBytes, 15 + 32);
});

t.test('a line of exactly max bytes with CRLF is not truncated', async (t) => {
  const { lines, counters } = frame(['abcde', 'fghij\r', '\n'], 10);
  t.same(lines, [{ text: 'abcdefghij', offset: 0, truncated: false }]);
  t.equal(counters.truncatedLines, 0);
});

t.test('lines in one read share one fresh buffer; spanning lines get their own', async (t) => {
  const { out } = frame(['a\nb\nc', 'd\n']);
  t.equal(out[0].buf, out[1].buf);
  t.not(out[2].buf, out[0].buf);
  t.equal(out[2].buf.toString(), 'cd');
});
