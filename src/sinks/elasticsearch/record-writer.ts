// The writer's delivery step: Kafka records to bulk documents to settled
// results. A packed record (NDJSON) gives one document per line, a plain one
// one document. A value that is not an event, and a document Elasticsearch
// rejects, go to the dead letter with the error; the call resolves only when
// every event of every record is indexed, a duplicate, or dead-lettered.

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
    const add = (record: PartitionRecord, value: string, fallbackId: string): void => {
      const parsed = docFromValue(value, this.target, fallbackId, record.timestamp);
      if (parsed.ok) {
        docs.push(parsed.doc);
        carried.push({ record, value });
      } else {
        rejected.push(
          entry(record, value, { type: 'invalid_event', reason: parsed.reason, status: 0 }),
        );
      }
    };
    for (const record of records) {
      const fallbackId = `${record.topic}-${record.partition}-${record.offset}`;
      if (record.value === null) {
        const error = { type: 'invalid_event', reason: 'message has no value', status: 0 };
        rejected.push(entry(record, null, error));
        continue;
      }
      const value = record.value.toString('utf8');
      if (!record.packed) {
        add(record, value, fallbackId);
        continue;
      }
      // One event a line; the line's number makes the fallback id of an event without one.
      let line = 0;
      for (let start = 0; start < value.length;) {
        let end = value.indexOf('\n', start);
        if (end === -1) end = value.length;
        // A blank line (or a CRLF's lone CR) carries no event.
        if (end - start > 1 || (end - start === 1 && value.charCodeAt(start) !== 13)) {
          add(record, value.slice(start, end), `${fallbackId}-${line}`);
        }
        line++;
        start = end + 1;
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
