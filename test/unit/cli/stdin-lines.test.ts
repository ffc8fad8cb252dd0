import t from 'tap';
import { splitLines } from '../../../src/cli/stdin-lines.js';
import type { RawLine } from '../../../src/sources/file/types.js';

async function collect(
  chunks: string[] | Buffer[],
  max = 1024,
): Promise<{ text: string; truncated: boolean }[]> {
  async function* source() {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out: { text: string; truncated: boolean }[] = [];
  for await (const lines of splitLines(source(), max)) {
    for (const l of lines as RawLine[])
      out.push({ text: l.buf.toString('utf8', l.start, l.end), truncated: l.truncated });
  }
  return out;
}

t.test('LF and CRLF, lines across chunks, last line without newline', async (t) => {
  const lines = await collect(['a\r\nb', 'c\n', '\nd']);
  t.same(
    lines.map((l) => l.text),
    ['a', 'bc', '', 'd'],
  );
});

t.test('a last line ending in CR without LF loses the CR', async (t) => {
  const lines = await collect(['a\r\nb\r']);
  t.same(
    lines.map((l) => l.text),
    ['a', 'b'],
  );
});

t.test('a line longer than the limit is cut and flagged; the next line is intact', async (t) => {
  const long = 'x'.repeat(50);
  const lines = await collect([long.slice(0, 20), long.slice(20) + '\nok\n'], 10);
  t.same(lines, [
    { text: 'x'.repeat(10), truncated: true },
    { text: 'ok', truncated: false },
  ]);
});

t.test('held bytes survive the source reusing its buffer', async (t) => {
  const shared = Buffer.alloc(4);
  async function* source() {
    shared.write('ab\ncd');
    yield shared.subarray(0, 4);
    shared.write('ef\n\0');
    yield shared.subarray(0, 3);
  }
  const out: string[] = [];
  for await (const lines of splitLines(source(), 100))
    for (const l of lines) out.push(l.buf.toString('utf8', l.start, l.end));
  t.same(out, ['ab', 'cef']);
});
