// Running totals of what the pipeline did, read by the summary, /status and
// /metrics. Plain numbers bumped on the hot path: no maps, no allocation.

export class PipelineCounters {
  linesRead = 0;
  bytesRead = 0;
  eventsParsed = 0;
  parseFailures = 0;
  truncatedLines = 0;
  invalidUtf8Lines = 0;
  eventsAcked = 0;
  batchesAcked = 0;
  outputErrors = 0;
  /** Responses by status class: index 1..5 for 1xx..5xx, 0 for none/other. */
  readonly statusClasses = [0, 0, 0, 0, 0, 0];

  countStatus(status: unknown): void {
    const cls = typeof status === 'number' ? Math.floor(status / 100) : 0;
    this.statusClasses[cls >= 1 && cls <= 5 ? cls : 0]++;
  }
}
