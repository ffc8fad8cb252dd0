import t from 'tap';
import { decodeLine, decodeUtf8Lossless } from '../../../src/parse/decode-line.js';

t.test('ASCII and valid UTF-8 decode as is', async (t) => {
  t.same(decodeLine(Buffer.from('GET / HTTP/1.1')), { text: 'GET / HTTP/1.1', invalidUtf8: false });
  t.same(decodeLine(Buffer.from('café ✓ 𝄞')), { text: 'café ✓ 𝄞', invalidUtf8: false });
  t.same(
    decodeLine(Buffer.from('a\uFFFDb')),
    { text: 'a\uFFFDb', invalidUtf8: false },
    'a real U+FFFD',
  );
  t.same(decodeLine(Buffer.alloc(0)), { text: '', invalidUtf8: false });
});

t.test('start and end select the line inside a bigger buffer', async (t) => {
  const buf = Buffer.from('xxhello\nworld');
  t.same(decodeLine(buf, 2, 7), { text: 'hello', invalidUtf8: false });
  t.same(decodeLine(buf, 8), { text: 'world', invalidUtf8: false });
  t.same(decodeLine(buf, 5, 2), { text: '', invalidUtf8: false }, 'end before start');
  t.same(decodeLine(buf, -3, 99), { text: 'xxhello\nworld', invalidUtf8: false }, 'clamped');
});

t.test('invalid sequences become \\xHH, valid neighbours survive', async (t) => {
  const cases: [number[], string][] = [
    [[0x61, 0xff, 0x62], 'a\\xFFb'],
    [[0xc3], '\\xC3'],
    [[0xc3, 0x28], '\\xC3('],
    [[0xe2, 0x82], '\\xE2\\x82'],
    [[0xed, 0xa0, 0x80], '\\xED\\xA0\\x80'], // UTF-16 surrogate encoded in UTF-8
    [[0xc0, 0xaf], '\\xC0\\xAF'], // overlong '/'
    [[0xf4, 0x90, 0x80, 0x80], '\\xF4\\x90\\x80\\x80'], // above U+10FFFF
    [[0xf0, 0x9f, 0x98, 0x80, 0x80], '😀\\x80'],
    [[0xef, 0xbf, 0xbd, 0xff], '\uFFFD\\xFF'],
  ];
  for (const [bytes, want] of cases) {
    t.same(decodeLine(Buffer.from(bytes)), { text: want, invalidUtf8: true }, want);
  }
});

t.test('lossless: re-encoding the \\xHH text gives the original bytes back', async (t) => {
  let seed = 99;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 2000; i++) {
    const bytes = Buffer.from(
      Array.from({ length: 1 + (next() % 40) }, () => (next() % 3 === 0 ? 0x41 : next())).filter(
        (b) => b !== 0x5c,
      ),
    );
    const { text } = decodeLine(bytes);
    const back = Buffer.from(
      text.replace(/\\x([0-9A-F]{2})/g, (_m, h: string) =>
        String.fromCharCode(0xe000 + parseInt(h, 16)),
      ),
      'utf8',
    );
    // Map the private-use placeholders back to the raw bytes they stand for.
    const out: number[] = [];
    for (const ch of back.toString('utf8')) {
      const c = ch.codePointAt(0)!;
      if (c >= 0xe000 && c <= 0xe0ff) out.push(c - 0xe000);
      else out.push(...Buffer.from(ch, 'utf8'));
    }
    if (!Buffer.from(out).equals(bytes)) {
      t.fail(`${bytes.toString('hex')} -> ${text}`);
      return;
    }
  }
  t.pass('2000 random byte strings round-trip');
});

t.test('decodeUtf8Lossless works on a plain Uint8Array slice', async (t) => {
  const u = new Uint8Array([0x20, 0x61, 0xff, 0x62, 0x20]);
  t.equal(decodeUtf8Lossless(u, 1, 4), 'a\\xFFb');
});
