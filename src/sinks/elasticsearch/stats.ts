// What the Elasticsearch output (and the writer around it) has done, as plain
// counters for metrics and /status. Bulk latency is kept as count/sum/max and
// handed to an optional observer (a prom-client histogram, wired by the lead).

export class ElasticsearchStats {
  /** Documents Elasticsearch created. */
  indexed = 0;
  /** Documents already there (409 on create): replays, absorbed. */
  duplicates = 0;
  /** Documents rejected (mapping, parse) and sent to the dead letter. */
  deadLettered = 0;
  /** Documents sent again after a 429, 5xx or connection error (each retry counts). */
  retries = 0;
  /** Bulk requests answered (any status), and those that failed as a whole. */
  bulkRequests = 0;
  bulkFailures = 0;
  /** Bulk requests in flight right now. */
  inFlight = 0;
  /** Consumer lag (messages) per "topic/partition", when a Kafka consumer feeds the output. */
  lag = new Map<string, number>();
  lastError: { message: string; at: number } | undefined;
  readonly latency = { count: 0, sumMs: 0, maxMs: 0 };
  /** Called with each bulk request's duration in milliseconds. */
  onLatency: ((ms: number) => void) | undefined;

  observeLatency(ms: number): void {
    this.latency.count++;
    this.latency.sumMs += ms;
    if (ms > this.latency.maxMs) this.latency.maxMs = ms;
    this.onLatency?.(ms);
  }

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
    return {
      indexed: this.indexed,
      duplicates: this.duplicates,
      dead_lettered: this.deadLettered,
      retries: this.retries,
      bulk_requests: this.bulkRequests,
      bulk_failures: this.bulkFailures,
      in_flight: this.inFlight,
      lag: this.totalLag(),
      latency_ms: { ...this.latency },
      last_error: this.lastError,
    };
  }
}
