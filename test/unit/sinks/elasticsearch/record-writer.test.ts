import t from 'tap';
import type {
  BulkDoc,
  BulkWriter,
  DocResult,
} from '../../../../src/sinks/elasticsearch/bulk-writer.js';
import { IndexNamer } from '../../../../src/sinks/elasticsearch/index-name.js';
import { RecordWriter } from '../../../../src/sinks/elasticsearch/record-writer.js';
import type { PartitionRecord, RejectedRecord } from '../../../../src/pipeline/partition-record.js';
import { ElasticsearchStats } from '../../../../src/sinks/elasticsearch/stats.js';
import type { EventStage } from '../../../../src/pipeline/stage.js';

/** Takes every document (a stand-in for Elasticsearch, in this module's unit test only). */
class TakeAll {
  docs: BulkDoc[] = [];
  async write(docs: readonly BulkDoc[]): Promise<DocResult[]> {
    this.docs.push(...docs);
    return docs.map(() => ({ outcome: 'indexed' as const }));
  }
}

const target = { kind: 'index' as const, namer: new IndexNamer('logs') };

function record(offset: number, value: string | null): PartitionRecord {
  return {
    topic: 'events',
    partition: 0,
    offset: String(offset),
    key: null,
    value: value === null ? null : Buffer.from(value),
    timestamp: 0,
  };
}

function writer(stages?: EventStage[]) {
  const bulk = new TakeAll();
  const dead: RejectedRecord[] = [];
  const records = new RecordWriter(
    bulk as unknown as BulkWriter,
    target,
    async (entries) => void dead.push(...entries),
    new ElasticsearchStats(),
    stages,
  );
  return { bulk, dead, records };
}

const VALUE = '{"event":{"id":"a-1","original":"x"},"message":"hi"}';

t.test('without stages a value is indexed exactly as it came', async (t) => {
  const { bulk, dead, records } = writer();
  await records.write([record(1, VALUE), record(2, 'not json')], new AbortController().signal);
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
  const { bulk, dead, records } = writer([stage]);
  await records.write(
    [record(1, VALUE), record(2, null), record(3, '{"message":"no id"}')],
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
