// NDJSON on stdout, for trying things and for piping into other tools. A
// batch is acknowledged once the stream has taken its bytes; a closed pipe
// (EPIPE) is a fatal, non-retryable output error.

import type { EventBatch, Sink } from '../pipeline/batch.js';
import { NdjsonEncoder } from '../pipeline/encode.js';
import { ErrorCodes, LogpodError } from '../errors.js';

export class StdoutSink implements Sink {
  readonly name = 'stdout';
  /** Reused from batch to batch; each batch is copied out of it. */
  private readonly encoder = new NdjsonEncoder();
  private broken: Error | undefined;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  async start(): Promise<void> {
    this.stream.on('error', (err: Error) => {
      this.broken = err;
    });
  }

  async write(batch: EventBatch): Promise<void> {
    if (this.broken) throw this.outputError(this.broken);
    // Copied out: a stream may keep the chunk past its callback (a PassThrough does).
    const data = Buffer.from(this.encoder.encode(batch.events));
    await new Promise<void>((resolve, reject) => {
      this.stream.write(data, (err) => {
        if (err) reject(this.outputError(err));
        else resolve();
      });
    });
    batch.ack();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  private outputError(cause: Error): LogpodError {
    return new LogpodError(ErrorCodes.OUTPUT_WRITE, `stdout is closed: ${cause.message}`, {
      cause,
      retryable: false,
    });
  }
}
