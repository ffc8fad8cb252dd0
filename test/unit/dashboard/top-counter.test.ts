import t from 'tap';
import { TopCounter, topOf } from '../../../src/dashboard/top-counter.js';

t.test('counts keys exactly while they fit and ranks them largest first', async (t) => {
  const c = new TopCounter(10);
  for (const [key, n] of [
    ['/a', 3],
    ['/b', 7],
    ['/c', 7],
    ['/d', 1],
  ] as const)
    for (let i = 0; i < n; i++) c.add(key);
  t.same(c.top(3), [
    { key: '/b', count: 7 },
    { key: '/c', count: 7 },
    { key: '/a', count: 3 },
  ]);
  t.equal(c.top(100).length, 4);
});

t.test(
  'a flood of one-off keys never grows it past 2 x capacity and keeps the heavy hitters',
  async (t) => {
    const c = new TopCounter(50);
    let maxSize = 0;
    for (let i = 0; i < 20_000; i++) {
      c.add(`/scan/${i}`);
      if (i % 10 === 0) c.add('/hot');
      if (i % 25 === 0) c.add('/warm');
      maxSize = Math.max(maxSize, c.size);
    }
    t.ok(maxSize <= 100, `at most 100 keys held (saw ${maxSize})`);
    const top = c.top(2);
    t.same(top, [
      { key: '/hot', count: 2000 },
      { key: '/warm', count: 800 },
    ]);
  },
);

t.test('long keys are cut, so memory per key is bounded', async (t) => {
  const c = new TopCounter(5, 16);
  c.add('/'.padEnd(10_000, 'x'));
  c.add('/'.padEnd(20_000, 'x'));
  const [only] = c.top(5);
  t.equal(only.key.length, 16);
  t.equal(only.count, 2, 'both cut to the same key');
});

t.test('addTo merges counts across counters; clear empties', async (t) => {
  const a = new TopCounter(5);
  const b = new TopCounter(5);
  a.add('/x', 2);
  b.add('/x', 3);
  b.add('/y');
  const merged = new Map<string, number>();
  a.addTo(merged);
  b.addTo(merged);
  t.same(topOf(merged, 5), [
    { key: '/x', count: 5 },
    { key: '/y', count: 1 },
  ]);
  a.clear();
  t.equal(a.size, 0);
  t.throws(() => new TopCounter(0), RangeError);
});
