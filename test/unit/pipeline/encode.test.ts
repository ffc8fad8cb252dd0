import t from 'tap';
import { encodeEvent, NdjsonEncoder } from '../../../src/pipeline/encode.js';

t.test('encodes an event as one JSON line without newlines', async (t) => {
  const line = encodeEvent({ event: { original: 'a\nb' }, message: 'x' });
  t.notMatch(line, /\n/);
  t.same(JSON.parse(line), { event: { original: 'a\nb' }, message: 'x' });
});

t.test(
  'NdjsonEncoder: one line per event, multi-byte text intact, buffer grows on demand',
  async (t) => {
    const encoder = new NdjsonEncoder(16, 1024);
    const events = [
      { event: { original: '' }, message: 'plain' },
      { event: { original: '' }, message: 'é中😀'.repeat(50) },
      { event: { original: '' }, message: 'x'.repeat(300) },
    ];
    const out = encoder.encode(events).toString('utf8');
    t.equal(out, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    t.equal(encoder.encode([]).length, 0, 'an empty batch is empty');
  },
);

t.test('NdjsonEncoder: after a huge batch, the next is encoded from the start', async (t) => {
  const encoder = new NdjsonEncoder(64, 1024);
  const big = encoder.encode([{ event: { original: '' }, message: 'y'.repeat(5000) }]);
  t.equal(big.length, 5000 + '{"event":{"original":""},"message":""}\n'.length);
  t.equal(
    encoder.encode([{ event: { original: '' }, message: 'z' }]).toString(),
    '{"event":{"original":""},"message":"z"}\n',
  );
});
