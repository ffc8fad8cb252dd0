// NDJSON appended to a file. A batch is acknowledged only after its bytes
// are written and, with fsync on (the default), on disk: the registry never
// passes a line that a crash could still lose from the output. A file it
// creates is 0640: events hold client addresses and URLs, not for everyone.
// fsync is a group commit: write() returns once the bytes are written, and
// one fsync running behind the writes acknowledges every batch written before
// it started, so reading and parsing go on while the disk syncs (one fsync
// per batch, awaited in turn, made the standalone run wait on the disk).
// A failed fsync is final (the kernel may have dropped the unsynced pages, so
// a later fsync proves nothing): the batches it covered stay unacknowledged
// and the output stops; a restart reads them again from the registry.

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
  /** Acks of batches written and not yet covered by an fsync. */
  private unsynced: (() => void)[] = [];
  private syncing: Promise<void> | undefined;
  private syncFailure: LogpodError | undefined;
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
    if (this.syncFailure) throw this.syncFailure;
    try {
      await handle.write(this.encoder.encode(batch.events));
    } catch (cause) {
      // Part of the batch may be on disk; it is not acknowledged, so it will
      // be written again: at-least-once, de-duplicated downstream by event.id.
      throw new LogpodError(
        ErrorCodes.OUTPUT_WRITE,
        `cannot write to ${this.options.path}: ${(cause as Error).message}`,
        { cause, retryable: true },
      );
    }
    if (!this.options.fsync) {
      batch.ack();
      return;
    }
    this.unsynced.push(batch.ack);
    this.syncing ??= this.syncLoop(handle);
  }

  /** fsyncs until no written batch waits for one; each fsync acknowledges what it covers. */
  private async syncLoop(handle: FileHandle): Promise<void> {
    try {
      while (this.unsynced.length > 0 && this.syncFailure === undefined) {
        const acks = this.unsynced;
        this.unsynced = [];
        try {
          await handle.sync();
        } catch (cause) {
          this.syncFailure = new LogpodError(
            ErrorCodes.OUTPUT_WRITE,
            `cannot sync ${this.options.path} to disk: ${(cause as Error).message}`,
            { cause, retryable: false },
          );
          return;
        }
        for (let i = 0; i < acks.length; i++) acks[i]();
      }
    } finally {
      this.syncing = undefined;
    }
  }

  /** Resolves once every batch written so far is on disk and acknowledged. */
  async flush(): Promise<void> {
    while (this.syncing !== undefined) await this.syncing;
    if (this.syncFailure) throw this.syncFailure;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
