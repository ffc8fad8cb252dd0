import t from 'tap';
import { encodeEvent } from '../../../src/pipeline/encode.js';

t.test('encodes an event as one JSON line without newlines', async (t) => {
  const line = encodeEvent({ event: { original: 'a\nb' }, message: 'x' });
  t.notMatch(line, /\n/);
  t.same(JSON.parse(line), { event: { original: 'a\nb' }, message: 'x' });
});
