// The set of files the input knows: one harvester per dev/ino found by
// discovery, and the cursors (one per sourceId) that carry acks and offsets.
// Creating an entry, starting a new generation after a truncation and
// dropping a harvester all go through here, so the maps never disagree.

import type { FileInputOptions } from './options.js';
import type { FileInputEvents } from './events.js';
import { Harvester } from './harvester.js';
import type { Registry, RegistryEntry } from './registry.js';
import {
  fingerprintOf,
  makeSourceId,
  readFlags,
  type FileKey,
  type Fingerprint,
} from './identity.js';
import { Cursor } from './cursor.js';
import type { InputCounters } from './types.js';

export class FileSet {
  /** Harvesters by `dev:ino`. */
  readonly harvesters = new Map<string, Harvester>();
  /** Harvesters by current path (for watcher hints). */
  readonly byPath = new Map<string, Harvester>();
  /** Cursors with a reader or with chunks still unacknowledged, by sourceId. */
  private readonly cursors = new Map<string, Cursor>();
  /** Matching files the last attempt could not open (permission denied); bounded by the scan. */
  readonly unreadable = new Set<string>();

  constructor(
    private readonly opts: FileInputOptions,
    private readonly registry: Registry,
    private readonly counters: InputCounters,
    private readonly events: FileInputEvents,
    /** Called when a file lost its content: a copy of it may be waiting on the next scan. */
    private readonly onTruncated: () => void = () => undefined,
  ) {}

  cursor(sourceId: string): Cursor | undefined {
    return this.cursors.get(sourceId);
  }

  cursorFor(entry: RegistryEntry): Cursor {
    let cursor = this.cursors.get(entry.sourceId);
    if (cursor === undefined || cursor.entry !== entry) {
      cursor = new Cursor(entry);
      this.cursors.set(entry.sourceId, cursor);
    }
    return cursor;
  }

  /** Forgets a cursor once nothing reads it and no ack is outstanding. */
  release(cursor: Cursor): void {
    if (
      !cursor.attached &&
      cursor.acks.pending === 0 &&
      this.cursors.get(cursor.sourceId) === cursor
    ) {
      this.cursors.delete(cursor.sourceId);
    }
  }

  /** Whether the registry must keep an entry regardless of clean_after. */
  inUse(entry: RegistryEntry): boolean {
    return this.cursors.has(entry.sourceId);
  }

  newEntry(key: FileKey, filePath: string, fp: Fingerprint, offset: number): RegistryEntry {
    const entry: RegistryEntry = {
      sourceId: makeSourceId(key, fp, this.opts.fingerprintBytes),
      path: filePath,
      dev: key.dev,
      ino: key.ino,
      fpLen: fp.len,
      fpHash: fp.hash,
      offset,
      lastSeen: Date.now(),
      detached: false,
    };
    this.registry.put(entry);
    return entry;
  }

  addHarvester(key: FileKey, filePath: string, cursor: Cursor, size: number): Harvester {
    const h = new Harvester({
      key,
      path: filePath,
      cursor,
      size,
      fingerprintBytes: this.opts.fingerprintBytes,
      maxLineBytes: this.opts.maxLineBytes,
      counters: this.counters,
      openFlags: readFlags(this.opts.followSymlinks),
    });
    // Seen rotated before (in an earlier run): still a rotated file.
    h.renamedAt = cursor.entry.rotated ?? null;
    this.harvesters.set(key.toString(), h);
    this.byPath.set(filePath, h);
    return h;
  }

  /** The file was renamed (rotated): it goes on under its new path. */
  setPath(h: Harvester, filePath: string, now = Date.now()): void {
    if (this.byPath.get(h.path) === h) this.byPath.delete(h.path);
    h.path = filePath;
    h.renamedAt ??= now;
    h.cursor.entry.path = filePath;
    h.cursor.entry.rotated ??= h.renamedAt;
    this.byPath.set(filePath, h);
    this.registry.markDirty();
  }

  /** Removes a closed harvester; its entry stays in the registry until clean_after. */
  drop(h: Harvester): void {
    h.dropped = true;
    const key = h.key.toString();
    if (this.harvesters.get(key) === h) this.harvesters.delete(key);
    if (this.byPath.get(h.path) === h) this.byPath.delete(h.path);
    h.cursor.attached = false;
    this.release(h.cursor);
  }

  /**
   * The file under `h` no longer holds the tracked content (copytruncate, or
   * rewritten): the old entry is detached and the file is read again from 0
   * under a new sourceId made from its current first bytes.
   */
  newGeneration(h: Harvester, prefix: Buffer): void {
    const old = h.cursor;
    this.registry.detach(old.entry);
    const entry = this.newEntry(h.key, h.path, fingerprintOf(prefix), 0);
    h.setCursor(this.cursorFor(entry));
    this.release(old);
    this.events.emitFileRewritten(h.path, old.sourceId, entry.sourceId);
    this.onTruncated();
  }
}
