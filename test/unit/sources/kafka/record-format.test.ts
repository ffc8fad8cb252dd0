// Reading what a consumed record holds from its headers, and chunking a
// fetched batch by events: a packed record counts its events, so one bulk
// request stays near batch_max_events whatever the records hold.

import t from 'tap';
import type { KafkaMessage } from 'kafkajs';
import { chunks } from '../../../../src/sources/kafka/consumer.js';
import { eventCount, isPacked } from '../../../../src/sources/kafka/record-format.js';

t.test('content-type decides; no header means one event', async (t) => {
  t.equal(isPacked({ 'content-type': Buffer.from('application/x-ndjson') }), true);
  t.equal(isPacked({ 'content-type': 'application/x-ndjson; charset=utf-8' }), true);
  t.equal(isPacked({ 'content-type': Buffer.from('application/json') }), false);
  t.equal(isPacked({}), false);
  t.equal(isPacked(undefined), false);
  t.equal(isPacked({ 'content-type': [Buffer.from('application/x-ndjson')] }), true);
});

t.test('event count from the header, else the lines', async (t) => {
  const value = Buffer.from('{}\n{}\n{}\n');
  t.equal(eventCount(true, { 'logpod-events': Buffer.from('3') }, value), 3);
  t.equal(eventCount(true, {}, value), 3, 'counted lines without the header');
  t.equal(eventCount(true, { 'logpod-events': 'junk' }, value), 3);
  t.equal(eventCount(false, { 'logpod-events': '3' }, value), 1);
  t.equal(eventCount(true, {}, Buffer.from('{}')), 1, 'no newline: one event');
});

function message(offset: number, events: number): KafkaMessage {
  const packed = events > 1;
  return {
    offset: String(offset),
    key: null,
    value: Buffer.from('{}\n'.repeat(events)),
    timestamp: '0',
    attributes: 0,
    headers: packed
      ? { 'content-type': Buffer.from('application/x-ndjson'), 'logpod-events': String(events) }
      : {},
  } as KafkaMessage;
}

t.test('chunks are bounded by events, a record is never cut', async (t) => {
  const messages = [
    message(0, 1),
    message(1, 400),
    message(2, 400),
    message(3, 1),
    message(4, 900),
  ];
  const out = [...chunks(messages, 'logs', 0, { batchMaxEvents: 1000, batchMaxBytes: 1 << 20 })];
  t.same(
    out.map((c) => c.map((r) => r.offset)),
    [['0', '1', '2', '3'], ['4']],
  );
  t.same(
    out[0].map((r) => r.packed),
    [false, true, true, false],
  );
  const big = [
    ...chunks([message(0, 5000)], 'logs', 0, { batchMaxEvents: 1000, batchMaxBytes: 1 << 20 }),
  ];
  t.equal(big.length, 1, 'a record bigger than the limit is a chunk alone');
});

t.test('single-event records chunk by count as before', async (t) => {
  const messages = Array.from({ length: 25 }, (_, i) => message(i, 1));
  const out = [...chunks(messages, 'logs', 0, { batchMaxEvents: 10, batchMaxBytes: 1 << 20 })];
  t.same(
    out.map((c) => c.length),
    [10, 10, 5],
  );
});
