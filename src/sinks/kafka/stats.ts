// What the Kafka output has done, for metrics and /status: plain counters the
// sink bumps as it goes, and produce latency in fixed buckets, so memory stays
// constant however long the agent runs. The metrics module reads it at scrape
// time (MetricsRegistry.bindKafkaOutput); nothing here calls prom-client.

import { LatencyHistogram } from '../../metrics/latency-histogram.js';

export class KafkaSinkStats {
  /** Messages Kafka acknowledged. */
  messagesSent = 0;
  /** Bytes of those messages before compression (values, keys, headers). */
  bytesSent = 0;
  /** Sends under way, retries included. */
  inFlight = 0;
  /** Bytes accepted and not yet acknowledged (waiting or in flight). */
  bufferedBytes = 0;
  /** Failed send attempts (each retry counts). */
  errors = 0;
  lastError: { message: string; at: number } | undefined;
  /** One sample per produce request Kafka acknowledged: its count is the successful requests. */
  readonly latency = new LatencyHistogram();

  recordError(err: unknown, now: number): void {
    this.errors++;
    this.lastError = { message: err instanceof Error ? err.message : String(err), at: now };
  }
}
