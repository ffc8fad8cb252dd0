import t from 'tap';
import { PassThrough, Writable } from 'node:stream';
import { StdoutSink } from '../../../src/sinks/stdout.js';

t.test('writes one JSON line per event and acks after the stream took it', async (t) => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c));
  const sink = new StdoutSink(stream);
  await sink.start();
  let acked = 0;
  await sink.write({
    events: [{ event: { original: 'a' } }, { event: { original: 'b' } }],
    bytes: 2,
    ack: () => acked++,
  });
  t.equal(acked, 1);
  t.same(
    text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).event.original),
    ['a', 'b'],
  );
});

t.test('a broken pipe is a non-retryable error and nothing is acked', async (t) => {
  const stream = new Writable({
    write(_chunk, _enc, cb) {
      const err = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      cb(err);
    },
  });
  const sink = new StdoutSink(stream);
  await sink.start();
  let acked = false;
  await t.rejects(
    sink.write({ events: [{ event: { original: 'a' } }], bytes: 1, ack: () => (acked = true) }),
    {
      code: 'OUTPUT_WRITE',
      retryable: false,
    },
  );
  t.equal(acked, false);
});
