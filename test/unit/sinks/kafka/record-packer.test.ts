// Packing events into NDJSON records: every event once, in order, one a line;
// records within record_max_bytes unless one event alone is bigger; headers
// that say what the value is; a refused record cut in two at a line boundary.

import t from 'tap';
import type { EcsEvent } from '../../../../src/pipeline/event.js';
import {
  MAX_EVENT_BYTES,
  NdjsonPacker,
  SingleEventPacker,
  splitRecord,
} from '../../../../src/sinks/kafka/record-packer.js';
import type { QueuedMessage } from '../../../../src/sinks/kafka/send-queue.js';

function events(n: number, pad = 0, from = 0): EcsEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    event: { original: `line ${from + i} ${'x'.repeat(pad)}`, id: `id-${from + i}` },
    seq: from + i,
  }));
}

function lines(message: QueuedMessage): { seq: number }[] {
  const text = message.value.toString('utf8');
  if (!text.endsWith('\n')) throw new Error('a packed value ends in a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as { seq: number });
}

function header(message: QueuedMessage, name: string): string {
  return String(message.headers[name]);
}

t.test('events become NDJSON records within the size, in order, each once', async (t) => {
  const packer = new NdjsonPacker(4096);
  const input = events(200, 50);
  const records = packer.pack(input, 'src-1');
  t.ok(records.length > 1, `several records (${records.length})`);
  const seqs: number[] = [];
  for (const r of records) {
    t.ok(r.value.length <= 4096, `record of ${r.value.length} bytes within 4096`);
    t.equal(r.key, 'src-1', 'key = the source identity');
    t.equal(header(r, 'content-type'), 'application/x-ndjson');
    t.equal(header(r, 'logpod-schema'), '1');
    const parsed = lines(r);
    t.equal(header(r, 'logpod-events'), String(parsed.length), 'event count header');
    t.equal(r.events, parsed.length);
    seqs.push(...parsed.map((e) => e.seq));
  }
  t.same(
    seqs,
    input.map((e) => e.seq),
  );
  // Records are filled: every record but the last would have overflowed with the next event.
  const first = records[0].value.length;
  t.ok(first > 4096 - 200, `records are filled (${first} bytes)`);
});

t.test('multi-byte characters are counted as bytes, not characters', async (t) => {
  const packer = new NdjsonPacker(2048);
  const input = Array.from({ length: 50 }, (_, i) => ({
    event: { original: 'é€😀'.repeat(40), id: `u-${i}` },
    seq: i,
  }));
  const records = packer.pack(input, null);
  const seqs = records.flatMap((r) => {
    t.ok(r.value.length <= 2048, `${r.value.length} bytes`);
    return lines(r).map((e) => e.seq);
  });
  t.same(
    seqs,
    input.map((e) => e.seq),
  );
  t.equal(JSON.parse(records[0].value.toString().split('\n')[0]).event.original, 'é€😀'.repeat(40));
});

t.test('an event bigger than the record size is a record alone, not cut', async (t) => {
  const packer = new NdjsonPacker(1024);
  const input = [...events(2), ...events(1, 5000, 2), ...events(2, 0, 3)];
  const records = packer.pack(input, 'k');
  t.same(
    records.map((r) => r.events),
    [2, 1, 2],
  );
  t.equal(lines(records[1])[0].seq, 2);
  t.ok(records[1].value.length > 5000);
});

t.test('an event over the Kafka limit keeps the shrink behaviour', async (t) => {
  const packer = new NdjsonPacker(128 * 1024);
  const huge: EcsEvent = { event: { original: 'y'.repeat(2 * MAX_EVENT_BYTES), id: 'big' } };
  const [record] = packer.pack([huge], 'k');
  t.ok(record.value.length <= MAX_EVENT_BYTES + 1, 'within the event limit');
  const event = JSON.parse(record.value.toString()) as EcsEvent;
  t.ok(event.tags?.includes('_truncated'), 'tagged _truncated');
  t.equal(event.event.id, 'big');
});

t.test('the scratch buffer is reused: records do not share memory', async (t) => {
  const packer = new NdjsonPacker(4096);
  const a = packer.pack(events(3), 'k')[0];
  const copy = Buffer.from(a.value);
  packer.pack(events(3, 100, 10), 'k');
  t.ok(a.value.equals(copy), 'an earlier record is unchanged by a later pack');
});

t.test('packing none: one event JSON per record, shared headers', async (t) => {
  const records = new SingleEventPacker().pack(events(3), 'k');
  t.equal(records.length, 3);
  t.same(JSON.parse(records[1].value.toString()).seq, 1);
  t.notOk(records[1].value.includes('\n'));
  t.equal(header(records[0], 'content-type'), 'application/json');
  t.equal(records[0].headers, records[2].headers, 'one header object for all');
  t.equal(records[0].events, undefined);
});

t.test('splitting a record keeps every event, at a line boundary', async (t) => {
  const [record] = new NdjsonPacker(1 << 20).pack(events(7, 30), 'k');
  const halves = splitRecord(record);
  t.ok(halves);
  const [a, b] = halves!;
  t.equal(a.events! + b.events!, 7);
  t.ok(a.events! >= 3 && a.events! <= 4, `about half (${a.events})`);
  t.equal(header(a, 'logpod-events'), String(a.events));
  t.equal(header(b, 'logpod-events'), String(b.events));
  t.equal(a.key, 'k');
  t.same(
    [...lines(a), ...lines(b)].map((e) => e.seq),
    [0, 1, 2, 3, 4, 5, 6],
  );
  // Down to single events, then nothing more to cut.
  let parts = [record];
  while (parts.some((p) => p.events! > 1)) parts = parts.flatMap((p) => splitRecord(p) ?? [p]);
  t.equal(parts.length, 7);
  t.equal(splitRecord(parts[0]), undefined);
});

t.test('a record whose middle falls in its last line is cut before that line', async (t) => {
  const input = [...events(2), ...events(1, 2000, 2)];
  const [record] = new NdjsonPacker(1 << 20).pack(input, 'k');
  const [a, b] = splitRecord(record)!;
  t.same(
    lines(a).map((e) => e.seq),
    [0, 1],
  );
  t.same(
    lines(b).map((e) => e.seq),
    [2],
  );
});
