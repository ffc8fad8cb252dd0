import t from 'tap';
import { SecondRing } from '../../../src/alerts/second-ring.js';

t.test('counts per second, summed over the newest seconds', async (t) => {
  const ring = new SecondRing(5, 2);
  ring.advance(100);
  ring.add(0, 3);
  ring.add(1, 1);
  ring.advance(101);
  ring.add(0, 4);
  t.equal(ring.sum(0, 1), 4, 'the current second');
  t.equal(ring.sum(0, 2), 7);
  t.equal(ring.sum(0, 60), 7, 'a window longer than the ring is the whole ring');
  t.equal(ring.sum(1, 5), 1);
});

t.test('old seconds age out; a jump longer than the ring clears it', async (t) => {
  const ring = new SecondRing(3, 1);
  ring.advance(10);
  ring.add(0, 1);
  ring.advance(11);
  ring.add(0, 2);
  ring.advance(13);
  t.equal(ring.sum(0, 3), 2, 'second 10 fell out, 11 is still in');
  ring.advance(14);
  t.equal(ring.sum(0, 3), 0);
  ring.add(0, 5);
  ring.advance(1000);
  t.equal(ring.sum(0, 3), 0);
});

t.test('a clock going back keeps counting into the newest second', async (t) => {
  const ring = new SecondRing(3, 1);
  ring.advance(50);
  ring.add(0, 1);
  ring.advance(49);
  ring.add(0, 1);
  t.equal(ring.sum(0, 1), 2);
});

t.test('small and zero seconds (tests, clocks near 0)', async (t) => {
  const ring = new SecondRing(4, 1);
  t.equal(ring.sum(0, 4), 0, 'empty before the first advance');
  ring.add(0, 9);
  t.equal(ring.sum(0, 4), 0, 'nothing is counted before the first advance');
  ring.advance(0);
  ring.add(0, 1);
  ring.advance(1);
  ring.add(0, 1);
  t.equal(ring.sum(0, 4), 2);
  t.throws(() => new SecondRing(0, 1));
});
