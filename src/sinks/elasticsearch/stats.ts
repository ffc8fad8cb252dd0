// What the Elasticsearch output (and the writer around it) has done, as plain
// counters for metrics and /status, and the latency of every _bulk request in
// fixed buckets. The metrics module reads it at scrape time
// (MetricsRegistry.bindElasticsearchOutput); nothing here calls prom-client.

import { LatencyHistogram } from '../../metrics/latency-histogram.js';

export class ElasticsearchStats {
  /** Documents Elasticsearch created. */
  indexed = 0;
  /** Documents already there (409 on create): replays, absorbed. */
  duplicates = 0;
  /** Documents rejected (mapping, parse) and sent to the dead letter. */
  deadLettered = 0;
  /** Documents sent again after a 429, 5xx or connection error (each retry counts). */
  retries = 0;
  /** Bulk requests that failed as a whole (no answer, 429, 5xx...). */
  bulkFailures = 0;
  /** Bulk requests refused as too large (413) and split in halves. */
  bulkSplits = 0;
  /** Replayed copies removed from a data stream's newest backing index after a rollover. */
  rolloverDuplicates = 0;
  /** Bulk requests in flight right now. */
  inFlight = 0;
  /** Consumer lag (messages) per "topic/partition", when a Kafka consumer feeds the output. */
  lag = new Map<string, number>();
  lastError: { message: string; at: number } | undefined;
  /** One sample per bulk request answered, failed ones included: its count is the requests. */
  readonly latency = new LatencyHistogram();

  recordError(err: unknown, now = Date.now()): void {
    this.lastError = { message: err instanceof Error ? err.message : String(err), at: now };
  }

  /** Sum of the partitions' lag. */
  totalLag(): number {
    let sum = 0;
    for (const v of this.lag.values()) sum += v;
    return sum;
  }

  snapshot(): Record<string, unknown> {
    const latency = this.latency;
    return {
      indexed: this.indexed,
      duplicates: this.duplicates,
      dead_lettered: this.deadLettered,
      retries: this.retries,
      bulk_requests: latency.count,
      bulk_failures: this.bulkFailures,
      bulk_splits: this.bulkSplits,
      rollover_duplicates: this.rolloverDuplicates,
      in_flight: this.inFlight,
      lag: this.totalLag(),
      latency_ms: { count: latency.count, sumMs: latency.sumMs, maxMs: latency.maxMs },
      last_error: this.lastError,
    };
  }
}
