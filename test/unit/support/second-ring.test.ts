import t from 'tap';
import { SecondRing } from '../../../src/support/second-ring.js';

const T0 = 1_800_000_000;

t.test('counts per second and channel, summed over a span', async (t) => {
  const r = new SecondRing(60, 6);
  r.add(T0, 1);
  r.add(T0, 1);
  r.add(T0 + 1, 4);
  r.add(T0 + 2, 5, 3);
  t.equal(r.count(T0, 1), 2);
  t.equal(r.count(T0, 4), 0);
  t.equal(r.sum(1, T0, T0 + 2), 2);
  t.equal(r.sum(5, T0, T0 + 2), 3);
  t.equal(r.sum(4, T0 + 1, T0 + 1), 1);
});

t.test(
  'a slot reused for a newer second forgets the old one; older counts are ignored',
  async (t) => {
    const r = new SecondRing(10, 3);
    r.add(T0, 1);
    r.add(T0 + 10, 2);
    t.equal(r.count(T0, 1), 0, 'second T0 left the window');
    t.equal(r.count(T0 + 10, 2), 1);
    r.add(T0, 1);
    t.equal(r.count(T0, 1), 0, 'a count older than the slot holds is outside the window');
    t.equal(r.count(T0 + 10, 1), 0);
  },
);

t.test(
  'a span longer than the ring is the whole ring; a jump past the ring forgets everything',
  async (t) => {
    const r = new SecondRing(3, 1);
    r.add(10, 0, 1);
    r.add(11, 0, 2);
    t.equal(r.sum(0, 0, 12), 3);
    t.equal(r.sum(0, 11, 13), 2, 'second 10 fell out of the window ending at 13');
    t.equal(r.sum(0, 0, 1000), 0);
  },
);

t.test('seconds near zero and bad sizes', async (t) => {
  const r = new SecondRing(4, 1);
  t.equal(r.sum(0, -3, 0), 0, 'empty');
  r.add(0, 0);
  r.add(1, 0);
  t.equal(r.sum(0, -2, 1), 2);
  t.throws(() => new SecondRing(0, 1), RangeError);
  t.throws(() => new SecondRing(5, 0), RangeError);
});
