// The registry: where each known file was committed to, persisted in
// data_dir/registry.json. Written atomically (temp file, fsync, rename, fsync
// of the directory); a missing or corrupt file is reported once and recovered
// from, a failed write is counted, logged (rate-limited) and retried later.
// The files are logpod's own: the directory is 0700, the registry 0600, and
// the temp file gets a random name created exclusively without following a
// symlink, so nobody with write access to the directory can redirect a write.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { errCode } from '../../errors.js';
import type { FileInputEvents } from './events.js';
import { FileKey } from './identity.js';

export const REGISTRY_FILE = 'registry.json';
const VERSION = 1;
/** A new file only, never through a symlink: O_EXCL alone already refuses a link, O_NOFOLLOW says so. */
const CREATE_PRIVATE =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export interface RegistryEntry {
  sourceId: string;
  path: string;
  dev: string;
  ino: string;
  /** Length and hash of the fingerprinted prefix (the length grows up to fingerprint_bytes). */
  fpLen: number;
  fpHash: string;
  /** Committed offset: every line before it is acknowledged. */
  offset: number;
  /** Last time (ms since epoch) the file was seen or read. */
  lastSeen: number;
  /** The content no longer lives at dev/ino (truncated, replaced or deleted). */
  detached: boolean;
  /** When (ms since epoch) the file was first seen renamed or moved out of the patterns. */
  rotated?: number;
}

interface RegistryFileBody {
  version: number;
  inputId: string;
  savedAt: string;
  entries: RegistryEntry[];
}

function isEntry(v: unknown): v is RegistryEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.sourceId === 'string' &&
    typeof e.path === 'string' &&
    typeof e.dev === 'string' &&
    typeof e.ino === 'string' &&
    Number.isSafeInteger(e.fpLen) &&
    typeof e.fpHash === 'string' &&
    Number.isSafeInteger(e.offset) &&
    (e.offset as number) >= 0 &&
    typeof e.lastSeen === 'number' &&
    typeof e.detached === 'boolean' &&
    (e.rotated === undefined || typeof e.rotated === 'number')
  );
}

function parseBody(text: string): RegistryEntry[] | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  const b = body as Partial<RegistryFileBody>;
  if (typeof body !== 'object' || body === null || b.version !== VERSION) {
    return `unknown format (expected version ${VERSION})`;
  }
  if (!Array.isArray(b.entries) || !b.entries.every(isEntry)) return 'malformed entries';
  return b.entries;
}

export class Registry {
  readonly file: string;
  readonly entries = new Map<string, RegistryEntry>();
  /** Entries still attached to their dev/ino, by `dev:ino`. */
  private readonly attached = new Map<string, RegistryEntry>();
  writes = 0;
  writeErrors = 0;
  /** When the last write failed (ms since epoch), 0 if none did. */
  lastErrorAt = 0;
  /** When a write last succeeded after a failure. */
  private lastRecoveredAt = 0;
  private dirty = false;
  /** Entries created since the last successful write. */
  private unsaved = new Set<string>();
  private writing: Promise<void> | null = null;

  constructor(
    readonly dir: string,
    private readonly inputId: string,
    private readonly events: FileInputEvents,
  ) {
    this.file = path.join(dir, REGISTRY_FILE);
  }

  /** Loads the saved state. Never throws: problems are logged and an empty registry is used. */
  async load(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      this.events.emitRegistryUnreadable(this.dir, err);
    }
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') this.events.emitRegistryMissing(this.file);
      else this.events.emitRegistryUnreadable(this.file, err);
      return;
    }
    const parsed = parseBody(text);
    if (typeof parsed === 'string') {
      await this.setAside(parsed);
      return;
    }
    for (const entry of parsed) this.put(entry);
    this.events.emitRegistryLoaded(this.file, this.entries.size);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry still attached to `key`, if any. */
  byKey(key: FileKey): RegistryEntry | undefined {
    return this.attached.get(key.toString());
  }

  /** Adds an entry; an entry previously attached to the same key is detached. */
  put(entry: RegistryEntry): void {
    if (!entry.detached) {
      const key = FileKey.of(entry).toString();
      const previous = this.attached.get(key);
      if (previous !== undefined && previous !== entry) previous.detached = true;
      this.attached.set(key, entry);
    }
    if (!this.entries.has(entry.sourceId)) this.unsaved.add(entry.sourceId);
    this.entries.set(entry.sourceId, entry);
    this.dirty = true;
  }

  /**
   * True for an entry not yet written. A source id salted at random (short
   * fingerprint) must be on disk before its first line goes out, or a crash
   * would re-read the file under another id.
   */
  isUnsaved(sourceId: string): boolean {
    return this.unsaved.has(sourceId);
  }

  /** Marks the entry's content as gone from its dev/ino (kept until clean_after). */
  detach(entry: RegistryEntry): void {
    if (entry.detached) return;
    entry.detached = true;
    const key = FileKey.of(entry).toString();
    if (this.attached.get(key) === entry) this.attached.delete(key);
    this.dirty = true;
  }

  /** Re-attaches an entry to a new dev/ino (its content was found there). */
  attach(entry: RegistryEntry, key: FileKey, filePath: string): void {
    this.detach(entry);
    entry.dev = key.dev;
    entry.ino = key.ino;
    entry.path = filePath;
    entry.detached = false;
    this.put(entry);
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** Removes entries not seen for `cleanAfterMs`, except those `keep` still needs. */
  cleanup(now: number, cleanAfterMs: number, keep: (e: RegistryEntry) => boolean): number {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (now - entry.lastSeen < cleanAfterMs || keep(entry)) continue;
      this.entries.delete(id);
      this.unsaved.delete(id);
      const key = FileKey.of(entry).toString();
      if (this.attached.get(key) === entry) this.attached.delete(key);
      removed++;
    }
    if (removed > 0) this.dirty = true;
    return removed;
  }

  /**
   * Writes the registry if it changed (or `force`). Returns false when the write
   * failed; never throws. Concurrent calls are serialised.
   */
  async flush(force = false): Promise<boolean> {
    while (this.writing !== null) await this.writing;
    if (!this.dirty && !force) return true;
    let ok = true;
    this.writing = this.write().then(
      () => undefined,
      (err: unknown) => {
        ok = false;
        this.writeErrors++;
        this.lastErrorAt = Date.now();
        this.dirty = true;
        this.events.emitRegistryWriteFailed(this.file, err, this.writeErrors);
      },
    );
    await this.writing;
    this.writing = null;
    if (ok && this.lastErrorAt > this.lastRecoveredAt) {
      this.lastRecoveredAt = Date.now();
      this.events.emitRegistryWriteRecovered(this.file);
    }
    return ok;
  }

  private async write(): Promise<void> {
    this.dirty = false;
    const saving = this.unsaved;
    this.unsaved = new Set();
    try {
      await this.writeFile();
    } catch (err) {
      for (const id of saving) if (this.entries.has(id)) this.unsaved.add(id);
      throw err;
    }
  }

  private async writeFile(): Promise<void> {
    const body: RegistryFileBody = {
      version: VERSION,
      inputId: this.inputId,
      savedAt: new Date().toISOString(),
      entries: [...this.entries.values()],
    };
    const data = JSON.stringify(body);
    const tmp = `${this.file}.tmp-${randomBytes(6).toString('hex')}`;
    const handle = await open(tmp, CREATE_PRIVATE, 0o600);
    try {
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await this.syncDir();
    this.writes++;
  }

  private async syncDir(): Promise<void> {
    let dir;
    try {
      dir = await open(this.dir, 'r');
      await dir.sync();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Some file systems cannot fsync a directory; the rename itself went through.
      if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'ENOTSUP') throw err;
    } finally {
      await dir?.close();
    }
  }

  private async setAside(reason: string): Promise<void> {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.file, aside);
      this.events.emitRegistryCorrupt(this.file, reason, aside);
    } catch (err) {
      this.events.emitRegistryCorrupt(this.file, reason, undefined, err);
    }
  }
}
