import t from 'tap';
import { SecondRing } from '../../../src/dashboard/second-ring.js';

const T0 = 1_800_000_000;

t.test('counts per second and class, summed over a span', async (t) => {
  const r = new SecondRing(60);
  r.add(T0, 1);
  r.add(T0, 1);
  r.add(T0 + 1, 4);
  r.add(T0 + 2, 5);
  t.equal(r.count(T0, 1), 2);
  t.equal(r.count(T0, 4), 0);
  t.same(r.sum(T0, T0 + 2), [0, 2, 0, 0, 1, 1]);
  t.same(r.sum(T0 + 1, T0 + 1), [0, 0, 0, 0, 1, 0]);
});

t.test(
  'a slot reused for a newer second forgets the old one; older counts are ignored',
  async (t) => {
    const r = new SecondRing(10);
    r.add(T0, 1);
    r.add(T0 + 10, 2);
    t.equal(r.count(T0, 1), 0, 'second T0 left the window');
    t.equal(r.count(T0 + 10, 2), 1);
    r.add(T0, 1);
    t.equal(r.count(T0, 1), 0, 'a count older than the slot holds is outside the window');
    t.equal(r.count(T0 + 10, 1), 0);
  },
);

t.test('series gives one column per second of the window, zeros where nothing came', async (t) => {
  const r = new SecondRing(5);
  r.add(T0 + 3, 1);
  r.add(T0 + 3, 1);
  r.add(T0 + 4, 4);
  const s = r.series(T0 + 4);
  t.same(s.t, [T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]);
  t.same(s.byClass[1], [0, 0, 0, 2, 0]);
  t.same(s.byClass[4], [0, 0, 0, 0, 1]);
  t.throws(() => new SecondRing(0), RangeError);
});
