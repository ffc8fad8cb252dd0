// Request latency as plain numbers: a fixed set of buckets, so memory stays
// constant however long logpod runs. A sink observes one value per request
// (never per event); the metrics module reads it at scrape time and exposes it
// as a Prometheus histogram. No prom-client here: sinks may import this file.

/** Upper bounds (ms) of the buckets; a last, unbounded bucket follows. */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
];

export class LatencyHistogram {
  readonly boundsMs = LATENCY_BOUNDS_MS;
  /** counts[i]: durations <= boundsMs[i] and > boundsMs[i-1]; the last entry is the rest. */
  readonly counts: number[] = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  observe(ms: number): void {
    const bounds = this.boundsMs;
    let i = 0;
    while (i < bounds.length && ms > bounds[i]) i++;
    this.counts[i]++;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }
}
