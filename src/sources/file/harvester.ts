// One harvester per file (per dev/ino): opens the file, reads it with
// positioned reads into the input's shared buffer and frames lines. After
// each read it re-checks the fingerprinted prefix, so bytes of a file that was
// truncated and rewritten meanwhile are never handed out as the old content.

import { open, type FileHandle } from 'node:fs/promises';
import { errCode } from '../../errors.js';
import { LineFramer } from './framer.js';
import { FileKey, fingerprintOf, prefixMatches, readFlags, readPrefix } from './identity.js';
import type { Cursor } from './cursor.js';
import type { InputCounters, RawLine } from './types.js';

export type ReadResult =
  | { kind: 'data'; lines: RawLine[] }
  | { kind: 'eof' }
  /** Truncated (copytruncate) or rewritten: the content is no longer the one it was reading. */
  | { kind: 'changed' };

export type OpenResult = 'ok' | 'moved' | 'denied' | 'busy';

export interface HarvesterOptions {
  /** The dev/ino the harvester reads; a path that names another file is 'moved'. */
  key: FileKey;
  path: string;
  /** The content read, and where reading starts (its emit offset). */
  cursor: Cursor;
  /** File size when found. */
  size: number;
  fingerprintBytes: number;
  maxLineBytes: number;
  counters: InputCounters;
  /** open(2) flags (see readFlags): O_NOFOLLOW unless symlinks are followed. */
  openFlags?: number;
}

export class Harvester {
  readonly key: FileKey;
  path: string;
  cursor: Cursor;
  handle: FileHandle | null = null;
  /** Next byte to read. */
  readOffset: number;
  /** File size at the last look. */
  size: number;
  readonly framer: LineFramer;
  /** Where the harvester sits in the scheduler: ready to read, waiting for a descriptor, or neither. */
  queued: 'ready' | 'waiting' | null = null;
  /** Last time bytes were read (or the harvester was opened). */
  lastDataAt = Date.now();
  /** Chunks read since the file was opened (fair scheduling). */
  turns = 0;
  /** Set when the file was renamed (rotated): it is closed after close_renamed idle time. */
  renamedAt: number | null = null;
  /** The file has no links left. */
  deleted = false;
  /** The file is no longer found by discovery: drain it, then drop the harvester. */
  gone = false;
  /** Removed from the file set: never read again (a queued reference is skipped). */
  dropped = false;
  /** Deleting it (remove_after) failed: not tried again. */
  removeFailed = false;
  /** Why the last open() did not succeed ('denied', 'busy', 'moved'), for the events. */
  openError: unknown = undefined;

  private readonly fingerprintBytes: number;
  private readonly counters: InputCounters;
  private readonly openFlags: number;

  constructor(opts: HarvesterOptions) {
    const cursor = opts.cursor;
    this.key = opts.key;
    this.path = opts.path;
    this.cursor = cursor;
    cursor.attached = true;
    this.size = opts.size;
    this.readOffset = cursor.emitOffset;
    this.fingerprintBytes = opts.fingerprintBytes;
    this.counters = opts.counters;
    this.openFlags = opts.openFlags ?? readFlags(false);
    this.framer = new LineFramer(opts.maxLineBytes, opts.counters, cursor.emitOffset);
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  /** Switches to another content (a new generation or an adopted copy) at its emit offset. */
  setCursor(cursor: Cursor): void {
    this.cursor.attached = false;
    this.cursor = cursor;
    cursor.attached = true;
    this.readOffset = cursor.emitOffset;
    this.framer.reset(cursor.emitOffset);
  }

  /** Takes over a handle already opened on this file. */
  adoptHandle(handle: FileHandle): void {
    this.handle = handle;
    this.turns = 0;
    this.lastDataAt = Date.now();
  }

  /** Opens the file by path, checking that the path still names this dev/ino. */
  async open(): Promise<OpenResult> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, this.openFlags);
    } catch (err) {
      this.openError = err;
      const code = errCode(err);
      if (code === 'EACCES' || code === 'EPERM') return 'denied';
      if (code === 'EMFILE' || code === 'ENFILE') return 'busy';
      return 'moved';
    }
    try {
      const st = await handle.stat({ bigint: true });
      if (!FileKey.ofStats(st).equals(this.key)) {
        await handle.close();
        return 'moved';
      }
      this.size = Number(st.size);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
    this.adoptHandle(handle);
    return 'ok';
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle !== null) await handle.close();
  }

  /** Reads at most one buffer's worth at readOffset. The harvester must be open. */
  async read(buf: Buffer): Promise<ReadResult> {
    const handle = this.handle!;
    const st = await handle.stat({ bigint: true });
    this.size = Number(st.size);
    this.deleted = st.nlink === 0n;
    if (this.size < this.readOffset) return { kind: 'changed' };
    if (this.size === this.readOffset) return { kind: 'eof' };
    const { bytesRead } = await handle.read(buf, 0, buf.length, this.readOffset);
    if (bytesRead === 0) return { kind: 'eof' };
    if (!(await this.verifyPrefix())) return { kind: 'changed' };
    const lines: RawLine[] = [];
    this.framer.push(buf.subarray(0, bytesRead), this.readOffset, lines);
    this.readOffset += bytesRead;
    this.counters.bytesRead += bytesRead;
    this.lastDataAt = Date.now();
    this.turns++;
    return { kind: 'data', lines };
  }

  /** The current leading bytes, for a new fingerprint. */
  async prefix(): Promise<Buffer> {
    if (this.handle === null) return Buffer.alloc(0);
    return readPrefix(this.handle, this.fingerprintBytes);
  }

  /**
   * Checks that the file still starts with the fingerprinted bytes, and grows
   * the fingerprint (not the source id) while the file is shorter than it.
   */
  private async verifyPrefix(): Promise<boolean> {
    const entry = this.cursor.entry;
    const prefix = await readPrefix(this.handle!, this.fingerprintBytes);
    if (!prefixMatches(prefix, entry)) return false;
    if (prefix.length > entry.fpLen) {
      const fp = fingerprintOf(prefix);
      entry.fpLen = fp.len;
      entry.fpHash = fp.hash;
    }
    return true;
  }
}
