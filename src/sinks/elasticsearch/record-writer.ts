// The writer's delivery step: Kafka records to events, through the writer's
// stages (none unless enrichment is moved here), to bulk documents to settled
// results. A packed record (NDJSON) gives one event per line, a plain one one
// event. A value that is not an event, and a document Elasticsearch rejects,
// go to the dead letter with the error; the call resolves only when every
// event of every record is indexed, a duplicate, or dead-lettered. Without
// stages a value is sent as it came, not re-encoded.

import type { EcsEvent } from '../../pipeline/event.js';
import type { PartitionRecord, RejectedRecord } from '../../topic/partition-record.js';
import type { EventStage } from '../../pipeline/stage.js';
import type { BulkDoc, BulkWriter } from './bulk-writer.js';
import { docFromMessageEvent, eventFromValue, type DocTarget } from './document.js';
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
    private readonly stages: readonly EventStage[] = [],
  ) {}

  async write(records: readonly PartitionRecord[], signal: AbortSignal): Promise<void> {
    const carried: { record: PartitionRecord; value: string; fallbackId: string }[] = [];
    const events: Record<string, unknown>[] = [];
    const rejected: RejectedRecord[] = [];
    const add = (record: PartitionRecord, value: string, fallbackId: string): void => {
      const parsed = eventFromValue(value);
      if (parsed.ok) {
        events.push(parsed.event);
        carried.push({ record, value, fallbackId });
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
    const stages = this.stages;
    for (let s = 0; s < stages.length; s++) stages[s].process(events as EcsEvent[]);
    const changed = stages.length > 0;
    const docs: BulkDoc[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const { record, value, fallbackId } = carried[i];
      docs[i] = docFromMessageEvent(
        events[i],
        changed ? undefined : value,
        this.target,
        fallbackId,
        record.timestamp,
      );
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
