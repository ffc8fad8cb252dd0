import t from 'tap';
import { LruCache } from '../../../src/enrich/lru-cache.js';

t.test('never holds more than its capacity', async (t) => {
  const cache = new LruCache<number, number>(10);
  for (let i = 0; i < 1000; i++) {
    cache.set(i, i);
    t.ok(cache.size <= 10);
  }
  t.ok(cache.has(999), 'the newest is there');
  t.notOk(cache.has(0), 'the oldest is gone');
});

t.test('an entry in use survives; unused ones are dropped first', async (t) => {
  const cache = new LruCache<string, number>(4);
  cache.set('hot', 1);
  for (let i = 0; i < 100; i++) {
    cache.set(`cold-${i}`, i);
    t.equal(cache.get('hot'), 1, `still there after ${i + 1} newer entries`);
  }
  t.notOk(cache.has('cold-0'));
  t.equal(cache.hits, 100);
});

t.test('hits and misses are counted; a replaced value is returned', async (t) => {
  const cache = new LruCache<string, number>(4);
  t.equal(cache.get('a'), undefined);
  cache.set('a', 1);
  cache.set('a', 2);
  t.equal(cache.get('a'), 2);
  t.equal(cache.size, 1, 'replacing does not grow it');
  t.same([cache.hits, cache.misses], [1, 1]);
});

t.test('capacity must be at least 2', async (t) => {
  t.throws(() => new LruCache(1));
});
