// The bulk/retry core shared by the writer and the direct output: sends
// documents with op_type create and _id = event.id, reads every item's result,
// and sends the retryable ones again (alone) with backoff until each document
// is settled: indexed, duplicate (409) or rejected. Never settles by giving up;
// only an abort (shutdown) ends the wait, by rejecting. A request refused whole
// as too large (413, http.max_content_length) is split in halves and each sent
// on its own, down to one document: only that one is rejected, as too large.

import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../../logger.js';
import { RateLimitedLog } from '../../support/rate-limited-log.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../../support/backoff.js';
import { classifyItem, itemError, type ItemError } from './item-result.js';
import type { RolloverGuard, WrittenDoc } from './rollover-guard.js';
import type { ElasticsearchStats } from './stats.js';

export interface BulkDoc {
  readonly id: string;
  readonly index: string;
  /** The document as one line of JSON. */
  readonly source: string;
  /** Its @timestamp, for the rollover guard of a data stream. */
  readonly timestamp?: unknown;
}

export type DocResult =
  | { readonly outcome: 'indexed' | 'duplicate' }
  | { readonly outcome: 'rejected'; readonly error: ItemError };

const INDEXED: DocResult = { outcome: 'indexed' };
const DUPLICATE: DocResult = { outcome: 'duplicate' };

interface BulkItem {
  status?: number;
  error?: unknown;
  _index?: string;
}

export function actionLine(doc: BulkDoc): string {
  return `{"create":{"_index":${JSON.stringify(doc.index)},"_id":${JSON.stringify(doc.id)}}}`;
}

export class BulkWriter {
  private readonly warnings: RateLimitedLog;

  constructor(
    private readonly client: Client,
    private readonly backoff: BackoffPolicy,
    private readonly stats: ElasticsearchStats,
    private readonly logger: Logger,
    /** Data streams with rollover_check: removes replayed copies after a rollover. */
    private readonly guard?: RolloverGuard,
  ) {
    this.warnings = new RateLimitedLog(logger, 10_000);
  }

  /** Resolves with one settled result per document, in order; rejects only when `signal` aborts. */
  async write(docs: readonly BulkDoc[], signal?: AbortSignal): Promise<DocResult[]> {
    const results = new Array<DocResult>(docs.length);
    // Where each document was created or found (409): the backing index, for the guard.
    const backing = this.guard === undefined ? undefined : new Array<string>(docs.length);
    let pending: number[] = docs.map((_, i) => i);
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const retry = await this.send(docs, pending, results, backing, signal);
      if (retry.length === 0) {
        if (backing !== undefined) await this.guardRollover(docs, results, backing, signal);
        return results;
      }
      this.stats.retries += retry.length;
      pending = retry;
      await sleep(backoffDelay(attempt, this.backoff), signal);
    }
  }

  /** One bulk request for `pending`; fills `results` for the settled ones; returns the ones to retry. */
  private async send(
    docs: readonly BulkDoc[],
    pending: number[],
    results: DocResult[],
    backing: string[] | undefined,
    signal: AbortSignal | undefined,
  ): Promise<number[]> {
    const operations: string[] = new Array<string>(pending.length * 2);
    for (let k = 0; k < pending.length; k++) {
      const doc = docs[pending[k]];
      operations[2 * k] = actionLine(doc);
      operations[2 * k + 1] = doc.source;
    }
    const started = performance.now();
    this.stats.inFlight++;
    let items: Record<string, BulkItem>[];
    let tooLarge = false;
    try {
      const response = await this.client.bulk({ operations }, { signal });
      items = response.items as unknown as Record<string, BulkItem>[];
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
      if (status === 413 && pending.length > 1) {
        tooLarge = true;
        items = [];
      } else {
        this.stats.bulkFailures++;
        this.stats.recordError(err);
        if (status !== undefined && classifyItem(status) === 'rejected') {
          const error = itemError(status, {
            type: status === 413 ? 'document_too_large' : 'bulk_request_rejected',
            reason: (err as Error).message,
          });
          for (const i of pending) results[i] = { outcome: 'rejected', error };
          return [];
        }
        this.warnings.warn(
          'bulk',
          { err, status, documents: pending.length },
          'Elasticsearch bulk request failed; retrying with backoff',
        );
        return pending;
      }
    } finally {
      this.stats.inFlight--;
      this.stats.latency.observe(performance.now() - started);
    }
    if (tooLarge) {
      // Each half on its own; a half still too large is split again.
      this.stats.bulkSplits++;
      const mid = pending.length >> 1;
      const first = await this.send(docs, pending.slice(0, mid), results, backing, signal);
      const second = await this.send(docs, pending.slice(mid), results, backing, signal);
      return first.concat(second);
    }
    const retry: number[] = [];
    let firstRetry: BulkItem | undefined;
    for (let k = 0; k < pending.length; k++) {
      const i = pending[k];
      const item =
        items[k]?.create ?? (items[k] === undefined ? undefined : Object.values(items[k])[0]);
      const status = item?.status ?? 500;
      const outcome = classifyItem(status);
      if (outcome === 'indexed') {
        results[i] = INDEXED;
        this.stats.indexed++;
        if (backing !== undefined && item?._index !== undefined) backing[i] = item._index;
      } else if (outcome === 'duplicate') {
        results[i] = DUPLICATE;
        this.stats.duplicates++;
        if (backing !== undefined && item?._index !== undefined) backing[i] = item._index;
      } else if (outcome === 'rejected') {
        results[i] = { outcome: 'rejected', error: itemError(status, item?.error) };
      } else {
        retry.push(i);
        firstRetry ??= item;
      }
    }
    if (retry.length > 0) {
      this.warnings.warn(
        'items',
        { documents: retry.length, status: firstRetry?.status, error: firstRetry?.error },
        'Elasticsearch refused documents for now; retrying them with backoff',
      );
    }
    return retry;
  }

  /** Turns the replayed copies the guard removed into duplicates. */
  private async guardRollover(
    docs: readonly BulkDoc[],
    results: DocResult[],
    backing: string[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const written: WrittenDoc[] = [];
    for (let i = 0; i < docs.length; i++) {
      const index = backing[i];
      // Created in the stream itself: not a data stream (no rollover).
      if (index === undefined || index === docs[i].index) continue;
      const doc = docs[i];
      written.push({
        pos: i,
        id: doc.id,
        stream: doc.index,
        backing: index,
        timestamp: doc.timestamp,
      });
    }
    if (written.length === 0) return;
    const copies = await this.guard!.check(written, signal);
    for (const i of copies) {
      if (results[i] === INDEXED) {
        this.stats.indexed--;
        this.stats.duplicates++;
        results[i] = DUPLICATE;
      }
      this.stats.rolloverDuplicates++;
    }
  }
}
