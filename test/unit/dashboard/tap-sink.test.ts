import t from 'tap';
import { TapSink } from '../../../src/dashboard/tap-sink.js';
import type { EventBatch, Sink } from '../../../src/pipeline/batch.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

function fakeSink(failures: number): Sink & { written: EventBatch[]; calls: string[] } {
  let left = failures;
  const s = {
    name: 'fake',
    written: [] as EventBatch[],
    calls: [] as string[],
    async start() {
      s.calls.push('start');
    },
    async write(batch: EventBatch) {
      if (left-- > 0) throw new Error('down');
      s.written.push(batch);
      batch.ack();
    },
    state: () => 'waiting' as const,
    async flush() {
      s.calls.push('flush');
    },
    async close() {
      s.calls.push('close');
    },
  };
  return s;
}

const batch = (n: number): EventBatch => ({
  events: Array.from({ length: n }, (_, i): EcsEvent => ({ event: { original: `l${i}` } })),
  bytes: n,
  ack: () => {},
});

t.test(
  'every batch reaches the observer once and the output unchanged, retries included',
  async (t) => {
    const inner = fakeSink(2);
    const seen: number[] = [];
    const tap = new TapSink(inner, (events) => seen.push(events.length));
    await tap.start();
    const b = batch(3);
    await t.rejects(tap.write(b));
    await t.rejects(tap.write(b));
    await tap.write(b);
    await tap.write(batch(2));
    t.same(seen, [3, 2], 'the retried batch counted once');
    t.equal(inner.written.length, 2);
    t.equal(inner.written[0], b, 'the same batch object, untouched');
    t.equal(tap.name, 'fake');
    t.equal(tap.state(), 'waiting');
    await tap.flush();
    await tap.close();
    t.same(inner.calls, ['start', 'flush', 'close']);
  },
);

t.test('an observer that throws does not stop delivery', async (t) => {
  const inner = fakeSink(0);
  const errors: unknown[] = [];
  const tap = new TapSink(
    inner,
    () => {
      throw new Error('bug');
    },
    (err) => errors.push(err),
  );
  await tap.write(batch(1));
  t.equal(inner.written.length, 1);
  t.equal(errors.length, 1);
});
