// What the Kafka output has done, for metrics and /status: plain counters the
// sink bumps as it goes, and produce latency in fixed buckets (count and sum
// per bucket), so memory stays constant however long the agent runs.

/** Upper bounds (ms) of the latency buckets; a last, unbounded bucket follows. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
];

export class LatencyHistogram {
  readonly bounds = LATENCY_BUCKETS_MS;
  /** counts[i] and sums[i] are for durations <= bounds[i] (and > bounds[i-1]); the last is the rest. */
  readonly counts: number[] = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  readonly sums: number[] = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  count = 0;
  sum = 0;

  observe(ms: number): void {
    let i = 0;
    while (i < this.bounds.length && ms > this.bounds[i]) i++;
    this.counts[i]++;
    this.sums[i] += ms;
    this.count++;
    this.sum += ms;
  }
}

export class KafkaSinkStats {
  /** Messages Kafka acknowledged. */
  messagesSent = 0;
  /** Bytes of those messages before compression (values, keys, headers). */
  bytesSent = 0;
  /** Produce requests (sendBatch calls) that succeeded. */
  sendsSucceeded = 0;
  /** Event batches acknowledged to the pipeline. */
  batchesAcked = 0;
  /** Sends under way, retries included. */
  inFlight = 0;
  /** Bytes accepted and not yet acknowledged (waiting or in flight). */
  bufferedBytes = 0;
  /** Failed send attempts (each retry counts). */
  errors = 0;
  lastError: { message: string; at: number } | undefined;
  readonly latency = new LatencyHistogram();

  recordError(err: unknown, now: number): void {
    this.errors++;
    this.lastError = { message: err instanceof Error ? err.message : String(err), at: now };
  }
}
