// The writer's step from Kafka records to settled documents, with a bulk
// writer stand-in: a packed record gives one document per line (its event.id
// as _id), a plain record one; both kinds mix in one call; a bad line goes to
// the dead letter alone; the call resolves only after every event settled.

import t from 'tap';
import type {
  BulkDoc,
  BulkWriter,
  DocResult,
} from '../../../../src/sinks/elasticsearch/bulk-writer.js';
import { IndexNamer } from '../../../../src/sinks/elasticsearch/index-name.js';
import type { PartitionRecord, RejectedRecord } from '../../../../src/topic/partition-record.js';
import { RecordWriter } from '../../../../src/sinks/elasticsearch/record-writer.js';
import { ElasticsearchStats } from '../../../../src/sinks/elasticsearch/stats.js';
import type { EventStage } from '../../../../src/pipeline/stage.js';

/** Answers each document by its id: `reject-*` rejected, `dup-*` duplicate, else indexed. */
class FakeBulk {
  readonly sent: BulkDoc[] = [];
  release: (() => void) | undefined;
  gate: Promise<void> = Promise.resolve();
  async write(docs: readonly BulkDoc[]): Promise<DocResult[]> {
    this.sent.push(...docs);
    await this.gate;
    return docs.map((d) =>
      d.id.startsWith('reject-')
        ? {
            outcome: 'rejected',
            error: { type: 'mapper_parsing_exception', reason: 'x', status: 400 },
          }
        : { outcome: d.id.startsWith('dup-') ? 'duplicate' : 'indexed' },
    );
  }
}

function setup() {
  const bulk = new FakeBulk();
  const dead: RejectedRecord[] = [];
  const writer = new RecordWriter(
    bulk as unknown as BulkWriter,
    { kind: 'data_stream', namer: new IndexNamer('logs-{{dataset}}-default') },
    async (entries) => void dead.push(...entries),
    new ElasticsearchStats(),
  );
  return { bulk, dead, writer };
}

const event = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    '@timestamp': '2026-01-01T00:00:00Z',
    event: { id, dataset: 'nginx.access' },
    ...extra,
  });

function record(offset: number, value: string | null, packed: boolean): PartitionRecord {
  return {
    topic: 'logs',
    partition: 0,
    offset: String(offset),
    key: Buffer.from('src-1'),
    value: value === null ? null : Buffer.from(value),
    timestamp: 1_767_225_600_000,
    packed,
  };
}

const signal = new AbortController().signal;

t.test(
  'packed and plain records in one call: one document per event, each its own id',
  async (t) => {
    const { bulk, dead, writer } = setup();
    await writer.write(
      [
        record(0, event('a'), false),
        record(1, `${event('b')}\n${event('c')}\n${event('d')}\n`, true),
        record(2, event('e'), false),
      ],
      signal,
    );
    t.same(
      bulk.sent.map((d) => d.id),
      ['a', 'b', 'c', 'd', 'e'],
    );
    t.ok(bulk.sent.every((d) => d.index === 'logs-nginx.access-default'));
    t.ok(
      bulk.sent.every((d) => !d.source.includes('\n')),
      'each source is one line',
    );
    t.same(dead, []);
  },
);

t.test('a pretty-printed plain value stays one document', async (t) => {
  const { bulk, writer } = setup();
  await writer.write([record(0, JSON.stringify({ event: { id: 'p' } }, null, 2), false)], signal);
  t.same(
    bulk.sent.map((d) => d.id),
    ['p'],
  );
});

t.test('blank lines, CRLF and a missing final newline are read as expected', async (t) => {
  const { bulk, dead, writer } = setup();
  await writer.write([record(5, `${event('x')}\r\n\n${event('y')}`, true)], signal);
  t.same(
    bulk.sent.map((d) => d.id),
    ['x', 'y'],
  );
  t.same(dead, []);
});

t.test('events without an id get a stable id per record line', async (t) => {
  const first = setup();
  const value = `${JSON.stringify({ message: 'one' })}\n${JSON.stringify({ message: 'two' })}\n`;
  await first.writer.write([record(7, value, true)], signal);
  t.same(
    first.bulk.sent.map((d) => d.id),
    ['logs-0-7-0', 'logs-0-7-1'],
  );
  const replay = setup();
  await replay.writer.write([record(7, value, true)], signal);
  t.same(
    replay.bulk.sent.map((d) => d.id),
    ['logs-0-7-0', 'logs-0-7-1'],
    'the same ids on replay',
  );
});

t.test('a bad line and a rejected event go to the dead letter alone', async (t) => {
  const { bulk, dead, writer } = setup();
  await writer.write(
    [record(3, `${event('ok-1')}\nnot json\n${event('reject-1')}\n${event('ok-2')}\n`, true)],
    signal,
  );
  t.same(
    bulk.sent.map((d) => d.id),
    ['ok-1', 'reject-1', 'ok-2'],
  );
  t.same(
    dead.map((d) => [d.error.type, d.offset, d.value]),
    [
      ['invalid_event', '3', 'not json'],
      ['mapper_parsing_exception', '3', event('reject-1')],
    ],
  );
});

t.test('the call settles only once every event of the record is settled', async (t) => {
  const { bulk, writer } = setup();
  let open!: () => void;
  bulk.gate = new Promise((resolve) => (open = resolve));
  let settled = false;
  const done = writer
    .write([record(0, `${event('a')}\n${event('dup-b')}\n`, true)], signal)
    .then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.equal(settled, false, 'pending while Elasticsearch has not answered');
  open();
  await done;
  t.equal(settled, true);
});

/** Takes every document (a stand-in for Elasticsearch, in this module's unit test only). */
class TakeAll {
  docs: BulkDoc[] = [];
  async write(docs: readonly BulkDoc[]): Promise<DocResult[]> {
    this.docs.push(...docs);
    return docs.map(() => ({ outcome: 'indexed' as const }));
  }
}

const indexTarget = { kind: 'index' as const, namer: new IndexNamer('logs') };

function eventsRecord(offset: number, value: string | null): PartitionRecord {
  return { ...record(offset, value, false), topic: 'events', key: null, timestamp: 0 };
}

function stagedWriter(stages?: EventStage[]) {
  const bulk = new TakeAll();
  const dead: RejectedRecord[] = [];
  const records = new RecordWriter(
    bulk as unknown as BulkWriter,
    indexTarget,
    async (entries) => void dead.push(...entries),
    new ElasticsearchStats(),
    stages,
  );
  return { bulk, dead, records };
}

const VALUE = '{"event":{"id":"a-1","original":"x"},"message":"hi"}';

t.test('without stages a value is indexed exactly as it came', async (t) => {
  const { bulk, dead, records } = stagedWriter();
  await records.write(
    [eventsRecord(1, VALUE), eventsRecord(2, 'not json')],
    new AbortController().signal,
  );
  t.same(bulk.docs, [{ id: 'a-1', index: 'logs', source: VALUE }]);
  t.equal(dead.length, 1);
  t.match(dead[0].error.reason, /not JSON/);
});

t.test('the writer runs the stages it is given on every event before indexing', async (t) => {
  const seen: number[] = [];
  const stage: EventStage = {
    process(events) {
      seen.push(events.length);
      for (const e of events) e.labels = { enriched: 'yes' };
    },
  };
  const { bulk, dead, records } = stagedWriter([stage]);
  await records.write(
    [eventsRecord(1, VALUE), eventsRecord(2, null), eventsRecord(3, '{"message":"no id"}')],
    new AbortController().signal,
  );
  t.same(seen, [2], 'one call per consumed batch, with the events that parsed');
  t.equal(dead.length, 1, 'the empty message is dead-lettered, not given to the stage');
  t.same(
    bulk.docs.map((d) => [d.id, JSON.parse(d.source).labels]),
    [
      ['a-1', { enriched: 'yes' }],
      ['events-0-3', { enriched: 'yes' }],
    ],
  );
});
