import t from 'tap';
import {
  newSegment,
  SendQueue,
  splitChunk,
  type Chunk,
  type QueuedMessage,
} from '../../../../src/sinks/kafka/send-queue.js';

/** Messages of `size` bytes whose values say which key and number they are. */
function messages(key: string, from: number, to: number, size = 10): QueuedMessage[] {
  const out: QueuedMessage[] = [];
  for (let n = from; n < to; n++)
    out.push({ key, value: Buffer.from(`${key}:${n}`.padEnd(size, '.')), headers: {} });
  return out;
}

function values(chunk: Chunk): string[] {
  return chunk.topicMessages.flatMap((tm) =>
    tm.messages.map((m) => `${tm.topic}/${String(m.value).replace(/\.+$/, '')}`),
  );
}

function segment(key: string, from: number, to: number, acks: string[], topic = 't', size = 10) {
  return newSegment(topic, key, messages(key, from, to, size), 0, () =>
    acks.push(`${key}:${from}`),
  );
}

t.test('a chunk holds messages oldest first, up to the byte limit', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 3, acks));
  q.add(segment('a', 3, 6, acks));
  t.equal(q.pendingBytes, 60);
  t.equal(q.bufferedBytes, 60);
  const chunk = q.take(40)!;
  t.same(values(chunk), ['t/a:0', 't/a:1', 't/a:2', 't/a:3']);
  t.equal(chunk.bytes, 40);
  t.equal(chunk.count, 4);
  t.equal(q.pendingBytes, 20);
  t.equal(q.bufferedBytes, 60, 'taken is still buffered until acknowledged');
});

t.test('a key with a chunk in flight gives no more until that chunk is done', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 2, acks));
  const first = q.take(1000)!;
  q.add(segment('a', 2, 4, acks));
  q.add(segment('b', 0, 2, acks));
  const second = q.take(1000)!;
  t.same(values(second), ['t/b:0', 't/b:1'], 'only the idle key');
  t.equal(q.take(1000), undefined, 'a is busy, b is empty');
  q.complete(first);
  q.release(first);
  t.same(values(q.take(1000)!), ['t/a:2', 't/a:3'], 'a goes on, in order, after its chunk is done');
});

t.test('a batch spanning chunks is acknowledged once, after its last message', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 5, acks));
  const one = q.take(20)!;
  t.same(q.complete(one), [], 'part of the batch is not the batch');
  q.release(one);
  const two = q.take(20)!;
  q.complete(two);
  q.release(two);
  t.same(acks, [], 'complete() reports, it does not call ack');
  const three = q.take(20)!;
  const done = q.complete(three);
  t.equal(done.length, 1);
  done[0].ack();
  t.same(acks, ['a:0']);
  t.equal(q.bufferedBytes, 0);
  t.equal(q.unackedSegments, 0);
});

t.test('a chunk can hold several batches, of several keys and topics', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 2, acks, 'x'));
  q.add(segment('b', 0, 2, acks, 'y'));
  q.add(segment('a', 2, 3, acks, 'x'));
  const chunk = q.take(1000)!;
  t.same(values(chunk).sort(), ['x/a:0', 'x/a:1', 'x/a:2', 'y/b:0', 'y/b:1']);
  t.same([...chunk.topics].sort(), ['x', 'y']);
  const done = q.complete(chunk);
  t.equal(done.length, 3);
  t.equal(q.unackedSegments, 0);
});

t.test('keys take turns, so a busy file does not starve the others', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 10, acks));
  q.add(segment('b', 0, 10, acks));
  const one = q.take(30)!;
  q.complete(one);
  q.release(one);
  const two = q.take(30)!;
  t.same(values(one), ['t/a:0', 't/a:1', 't/a:2']);
  t.same(values(two), ['t/b:0', 't/b:1', 't/b:2'], 'b is next, although a has more waiting');
});

t.test('one message larger than the limit still goes, alone', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 2, acks, 't', 100));
  const chunk = q.take(50)!;
  t.equal(chunk.count, 1);
  t.equal(chunk.bytes, 100);
});

t.test('an empty batch is acknowledged with the chunk that carries it', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 0, acks));
  t.equal(q.pendingSegments, 1);
  const chunk = q.take(100)!;
  t.equal(chunk.count, 0);
  t.equal(q.complete(chunk).length, 1);
});

t.test('the per-message overhead counts toward the limit and the buffer', async (t) => {
  const q = new SendQueue();
  q.add(newSegment('t', 'a', messages('a', 0, 4), 15, () => {}));
  t.equal(q.bufferedBytes, 100);
  t.equal(q.take(50)!.count, 2);
});

t.test('splitting a chunk keeps order and covers every message once', async (t) => {
  const q = new SendQueue();
  const acks: string[] = [];
  q.add(segment('a', 0, 3, acks));
  q.add(segment('a', 3, 7, acks));
  const chunk = q.take(1000)!;
  const [first, second] = splitChunk(chunk);
  t.same(values(first), ['t/a:0', 't/a:1', 't/a:2']);
  t.same(values(second), ['t/a:3', 't/a:4', 't/a:5', 't/a:6']);
  t.equal(first.bytes + second.bytes, chunk.bytes);
  const [a, b] = splitChunk(first);
  t.same(values(a), ['t/a:0']);
  t.same(values(b), ['t/a:1', 't/a:2'], 'a cut inside one batch');
  t.equal(q.complete(a).length, 0);
  t.equal(q.complete(b).length, 1, 'first batch done when both its pieces are');
  t.equal(q.complete(second).length, 1);
  q.release(chunk);
  t.equal(q.bufferedBytes, 0);
});
