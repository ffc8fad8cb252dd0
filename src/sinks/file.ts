// NDJSON appended to a file. A batch is acknowledged only after its bytes
// are written and, with fsync on (the default), on disk: the registry never
// passes a line that a crash could still lose from the output. A file it
// creates is 0640: events hold client addresses and URLs, not for everyone.

import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventBatch, Sink } from '../pipeline/batch.js';
import { NdjsonEncoder } from '../pipeline/encode.js';
import { ErrorCodes, LogpodError } from '../errors.js';

/** Owner reads and writes, its group reads (a log collector's group), others nothing. */
export const OUTPUT_FILE_MODE = 0o640;

export interface FileSinkOptions {
  path: string;
  fsync: boolean;
}

export class FileSink implements Sink {
  readonly name = 'file';
  /** Reused from batch to batch: a write completes before the next batch is encoded. */
  private readonly encoder = new NdjsonEncoder();
  private handle: FileHandle | undefined;

  constructor(private readonly options: FileSinkOptions) {}

  async start(): Promise<void> {
    try {
      await mkdir(dirname(this.options.path), { recursive: true });
      this.handle = await open(this.options.path, 'a', OUTPUT_FILE_MODE);
    } catch (cause) {
      throw new LogpodError(
        ErrorCodes.OUTPUT_WRITE,
        `cannot open output file ${this.options.path}: ${(cause as Error).message}`,
        { cause, retryable: false },
      );
    }
  }

  async write(batch: EventBatch): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new LogpodError(ErrorCodes.OUTPUT_WRITE, 'file output is not started');
    try {
      await handle.write(this.encoder.encode(batch.events));
      if (this.options.fsync) await handle.sync();
    } catch (cause) {
      // Part of the batch may be on disk; it is not acknowledged, so it will
      // be written again: at-least-once, de-duplicated downstream by event.id.
      throw new LogpodError(
        ErrorCodes.OUTPUT_WRITE,
        `cannot write to ${this.options.path}: ${(cause as Error).message}`,
        { cause, retryable: true },
      );
    }
    batch.ack();
  }

  async flush(): Promise<void> {
    if (this.handle && this.options.fsync) await this.handle.sync();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
