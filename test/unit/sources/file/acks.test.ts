import t from 'tap';
import { AckTracker } from '../../../../src/sources/file/acks.js';

t.test('out-of-order acks advance the committed offset only contiguously', async (t) => {
  const acks = new AckTracker(100);
  const a = acks.push(200);
  const b = acks.push(300);
  const c = acks.push(400);
  t.notOk(acks.ack(c));
  t.equal(acks.committed, 100, 'a later chunk alone does not move it');
  t.notOk(acks.ack(b));
  t.equal(acks.committed, 100);
  t.ok(acks.ack(a));
  t.equal(acks.committed, 400, 'the first ack releases everything behind it');
  t.equal(acks.pending, 0);
});

t.test('a repeated ack changes nothing; many chunks stay compact', async (t) => {
  const acks = new AckTracker(0);
  const slots = [];
  for (let i = 1; i <= 5000; i++) slots.push(acks.push(i));
  for (let i = 0; i < 4000; i++) acks.ack(slots[i]);
  t.notOk(acks.ack(slots[0]));
  t.equal(acks.committed, 4000);
  t.equal(acks.pending, 1000);
});
