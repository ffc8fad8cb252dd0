// The writer's delivery step: Kafka records to bulk documents to settled
// results. A value that is not an event, and a document Elasticsearch
// rejects, go to the dead letter with the error; the call resolves only when
// every record is indexed, a duplicate, or dead-lettered.

import type { PartitionRecord, RejectedRecord } from '../../pipeline/partition-record.js';
import type { BulkDoc, BulkWriter } from './bulk-writer.js';
import { docFromValue, type DocTarget } from './document.js';
import type { ItemError } from './item-result.js';
import type { ElasticsearchStats } from './stats.js';

/** Resolves once every entry is stored in the dead letter; rejects only when `signal` aborts. */
export type DeadLetterSink = (entries: RejectedRecord[], signal: AbortSignal) => Promise<void>;

export class RecordWriter {
  constructor(
    private readonly bulk: BulkWriter,
    private readonly target: DocTarget,
    private readonly deadLetter: DeadLetterSink,
    private readonly stats: ElasticsearchStats,
  ) {}

  async write(records: readonly PartitionRecord[], signal: AbortSignal): Promise<void> {
    const docs: BulkDoc[] = [];
    const carried: { record: PartitionRecord; value: string }[] = [];
    const rejected: RejectedRecord[] = [];
    for (const record of records) {
      const value = record.value === null ? null : record.value.toString('utf8');
      const fallbackId = `${record.topic}-${record.partition}-${record.offset}`;
      const parsed =
        value === null
          ? ({ ok: false, reason: 'message has no value' } as const)
          : docFromValue(value, this.target, fallbackId, record.timestamp);
      if (parsed.ok) {
        docs.push(parsed.doc);
        carried.push({ record, value: value! });
      } else {
        rejected.push(
          entry(record, value, { type: 'invalid_event', reason: parsed.reason, status: 0 }),
        );
      }
    }
    if (docs.length > 0) {
      const results = await this.bulk.write(docs, signal);
      for (let i = 0; i < results.length; i++) {
        const result = results[i];
        if (result.outcome === 'rejected') {
          rejected.push(entry(carried[i].record, carried[i].value, result.error));
        }
      }
    }
    if (rejected.length > 0) {
      await this.deadLetter(rejected, signal);
      this.stats.deadLettered += rejected.length;
    }
  }
}

function entry(record: PartitionRecord, value: string | null, error: ItemError): RejectedRecord {
  return {
    error,
    value,
    key: record.key,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  };
}
