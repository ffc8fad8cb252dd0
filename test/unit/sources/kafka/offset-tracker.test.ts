import t from 'tap';
import { OffsetTracker, nextOffset } from '../../../../src/sources/kafka/offset-tracker.js';

t.test('only a contiguous prefix of settled chunks is committable', async (t) => {
  const tracker = new OffsetTracker();
  const a = tracker.add('9');
  const b = tracker.add('19');
  const c = tracker.add('29');
  tracker.settle(b);
  tracker.settle(c);
  t.equal(tracker.takeCommittable(), undefined, 'the first chunk is still in flight');
  tracker.settle(a);
  t.equal(tracker.takeCommittable(), '29', 'all three, at once');
  t.equal(tracker.takeCommittable(), undefined, 'taken once');
  const d = tracker.add('39');
  tracker.add('49');
  tracker.settle(d);
  t.equal(tracker.takeCommittable(), '39');
  t.equal(tracker.pending, 1);
});

t.test('offsets past gaps and beyond 2^53', async (t) => {
  const tracker = new OffsetTracker();
  tracker.settle(tracker.add('5'));
  tracker.settle(tracker.add('17'));
  t.equal(tracker.takeCommittable(), '17');
  t.equal(nextOffset('17'), '18');
  t.equal(nextOffset('9007199254740993'), '9007199254740994');
});

t.test('many chunks keep memory bounded', async (t) => {
  const tracker = new OffsetTracker();
  for (let i = 0; i < 5000; i++) {
    tracker.settle(tracker.add(String(i)));
    tracker.takeCommittable();
  }
  t.equal(tracker.pending, 0);
});
