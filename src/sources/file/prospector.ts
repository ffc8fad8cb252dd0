// The prospector turns what a scan found into harvester actions, in one place:
// a known file that moved is a rename (it keeps its position), a known file
// that is missing is drained and dropped (unless its directory could not be
// looked at), and a new dev/ino is resolved against the registry: the same
// content resumes, a reused inode starts at 0, a copy of a truncated file
// (copytruncate) resumes where the original stopped.

import { lstat, open, readdir, type FileHandle } from 'node:fs/promises';
import type { BigIntStats, Dirent } from 'node:fs';
import path from 'node:path';
import type { ScanResult } from './discovery.js';
import { errCode } from '../../errors.js';
import type { FileSet } from './file-set.js';
import {
  FileKey,
  fingerprintOf,
  hashPrefix,
  prefixMatches,
  readFlags,
  readPrefix,
} from './identity.js';
import type { FileInputOptions } from './options.js';
import type { FileInputEvents } from './events.js';
import type { Harvester } from './harvester.js';
import type { Registry, RegistryEntry } from './registry.js';
import type { Cursor } from './cursor.js';

/** What the prospector asks of the scheduler. */
export interface HarvesterControl {
  /** The file may have bytes to read (or changed): give it a turn. */
  wake(h: Harvester): void;
  /** Offers a handle already open on the harvester's file; closed when no descriptor is free. */
  offerHandle(h: Harvester, handle: FileHandle): Promise<void>;
}

function isUnder(p: string, unobserved: string[]): boolean {
  for (const u of unobserved) if (p === u || p.startsWith(`${u}/`)) return true;
  return false;
}

type CopyMatch =
  | { kind: 'none' }
  /** Read on from where the original stopped, under its source id. */
  | { kind: 'adopt'; cursor: Cursor }
  /** Holds only lines of `entry` already read and acknowledged. */
  | { kind: 'read'; entry: RegistryEntry }
  /** Looked at again on a later scan. */
  | { kind: 'wait'; why: 'holds' | 'acks'; entry: RegistryEntry };

const NO_COPY: CopyMatch = { kind: 'none' };

/**
 * How long a file that starts like a live file may sit unchanged before it is
 * taken for a file of its own rather than a copy awaiting its truncate
 * (logrotate truncates the moment the copy is complete).
 */
const COPY_WAIT_MS = 10_000;

export class Prospector {
  /** True until the first scan is applied. */
  private first = true;
  /** Symlinks found by the last scan (already reported). */
  private symlinks = new Set<string>();

  constructor(
    private readonly opts: FileInputOptions,
    private readonly set: FileSet,
    private readonly registry: Registry,
    private readonly control: HarvesterControl,
    private readonly events: FileInputEvents,
    /** The registry had no entries at start: start_at applies to the first scan. */
    private readonly freshStart: boolean,
  ) {}

  async apply(scan: ScanResult): Promise<void> {
    const now = Date.now();
    this.reportSymlinks(scan.symlinks);
    for (const p of this.set.unreadable) if (!scan.files.has(p)) this.set.unreadable.delete(p);
    for (const dir of scan.directories) {
      this.events.emitDirectoryMatched(dir);
    }
    const seen = new Set<string>();
    const unknown: Array<[string, BigIntStats, FileKey]> = [];
    for (const [p, st] of scan.files) {
      const key = FileKey.ofStats(st);
      if (seen.has(key.toString())) continue;
      seen.add(key.toString());
      const h = this.set.harvesters.get(key.toString());
      if (h === undefined) {
        unknown.push([p, st, key]);
        continue;
      }
      h.cursor.entry.lastSeen = now;
      h.gone = false;
      if (h.path !== p) {
        // Renamed (rotated): the handle keeps reading it; it closes after close_renamed.
        this.set.setPath(h, p, now);
      }
      const size = Number(st.size);
      if (size !== h.size || size !== h.readOffset) {
        h.size = size;
        this.control.wake(h);
      }
    }
    const elsewhere = new MovedFiles();
    for (const h of [...this.set.harvesters.values()]) {
      if (seen.has(h.key.toString()) || h.gone || isUnder(h.path, scan.unobserved)) continue;
      if (h.isOpen) {
        // Deleted or moved out of the patterns: drain through the open handle first.
        h.gone = true;
        h.renamedAt ??= now;
        h.cursor.entry.rotated ??= h.renamedAt;
        this.control.wake(h);
      } else {
        // Closed (close_inactive, max_open_files): renamed beside itself, its rest is still there.
        const to = await elsewhere.find(h);
        if (to === undefined || !(await this.holdsContent(to, h))) {
          this.set.drop(h);
          continue;
        }
        this.events.emitFileMovedAway(h.path, to, h.cursor.sourceId);
        h.gone = true;
        this.set.setPath(h, to, now);
        this.control.wake(h);
      }
    }
    // Files whose dev/ino the registry knows go first: any content they lost is
    // then marked, so a copy of it (copytruncate) is recognised whatever the order.
    unknown.sort(
      (a, b) =>
        Number(this.registry.byKey(b[2]) !== undefined) -
        Number(this.registry.byKey(a[2]) !== undefined),
    );
    for (const [p, st, key] of unknown) await this.discover(p, st, key);
    this.first = false;
  }

  /**
   * The symlinks that appeared since the last scan are reported once; a link is
   * reported again only after it was gone for a scan. Bounded by what the
   * directories hold now.
   */
  private reportSymlinks(links: string[]): void {
    const fresh = links.filter((p) => !this.symlinks.has(p));
    this.symlinks = new Set(links);
    if (fresh.length > 0) this.events.emitSymlinksSkipped(fresh);
  }

  private async discover(p: string, st: BigIntStats, key: FileKey): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(p, readFlags(this.opts.followSymlinks));
    } catch (err) {
      const code = errCode(err);
      // Replaced by a symlink since the scan: the next scan reports it.
      const link = code === 'ELOOP' && !this.opts.followSymlinks;
      if (code === 'EACCES' || code === 'EPERM') this.set.unreadable.add(p);
      if (code !== 'ENOENT' && !link) this.events.emitFileUnreadable(p, err);
      return;
    }
    this.events.emitFileOpened(p);
    this.set.unreadable.delete(p);
    try {
      const fst = await handle.stat({ bigint: true });
      if (!FileKey.ofStats(fst).equals(key) || !fst.isFile()) {
        await handle.close();
        return;
      }
      const size = Number(fst.size);
      const prefix = await readPrefix(handle, this.opts.fingerprintBytes);
      const cursor = await this.resolve(p, key, size, prefix, Number(fst.mtimeMs));
      if (cursor === null) {
        await handle.close();
        return;
      }
      cursor.entry.lastSeen = Date.now();
      const h = this.set.addHarvester(key, p, cursor, size);
      await this.control.offerHandle(h, handle);
      this.control.wake(h);
    } catch (err) {
      await handle.close().catch(() => undefined);
      this.events.emitFileUnreadable(p, err);
    }
  }

  /**
   * Which content a newly seen dev/ino holds, and where reading starts; null
   * when the file is a copy to look at again on a later scan.
   */
  private async resolve(
    p: string,
    key: FileKey,
    size: number,
    prefix: Buffer,
    mtimeMs: number,
  ): Promise<Cursor | null> {
    const known = this.registry.byKey(key);
    if (known !== undefined && prefixMatches(prefix, known)) {
      if (prefix.length > known.fpLen) Object.assign(known, toFields(prefix));
      if (known.path !== p) {
        // Renamed while logpod was not looking (stopped, or the file was closed).
        known.path = p;
        known.rotated ??= Date.now();
      }
      return this.set.cursorFor(known);
    }
    if (known !== undefined) this.registry.detach(known);
    const copy = await this.findCopy(prefix, size, key, mtimeMs);
    if (copy.kind === 'wait') {
      this.events.emitCopyWaiting(p, copy.entry.sourceId, copy.entry.path, copy.why);
      return null;
    }
    if (copy.kind === 'adopt') {
      this.registry.attach(copy.cursor.entry, key, p);
      this.events.emitCopyAdopted(p, copy.cursor.sourceId, copy.cursor.emitOffset);
      return copy.cursor;
    }
    if (copy.kind === 'read') {
      this.events.emitCopyAlreadyRead(p, copy.entry.sourceId, size);
      return this.set.cursorFor(this.set.newEntry(key, p, fingerprintOf(prefix), size));
    }
    const atEnd =
      this.first && this.freshStart && this.opts.startAt === 'end' && known === undefined;
    return this.set.cursorFor(this.set.newEntry(key, p, fingerprintOf(prefix), atEnd ? size : 0));
  }

  /**
   * Whether a new file is a copy of a known content (copytruncate): an entry
   * whose fingerprint matches these first bytes. While the original still
   * holds that content the copy waits (logrotate truncates only once the copy
   * is complete; reading it sooner would repeat every line), unless it has not
   * changed for COPY_WAIT_MS: then it is a file of its own. Once the original
   * lost it, the copy is read on from where the original stopped, or, when it
   * ends before that, counts as read. A short fingerprint (a file smaller than
   * fingerprint_bytes) could be any small file with the same first line: it
   * never waits, and is adopted only when the original was seen truncated or
   * rewritten and the copy holds everything read from it.
   */
  private async findCopy(
    prefix: Buffer,
    size: number,
    key: FileKey,
    mtimeMs: number,
  ): Promise<CopyMatch> {
    if (prefix.length === 0) return NO_COPY;
    const hashes = new Map<number, string>();
    for (const entry of this.registry.entries.values()) {
      if (entry.fpLen === 0 || entry.fpLen > prefix.length) continue;
      if (key.equals(FileKey.of(entry))) continue;
      let hash = hashes.get(entry.fpLen);
      if (hash === undefined) {
        hash = hashPrefix(prefix, entry.fpLen);
        hashes.set(entry.fpLen, hash);
      }
      if (hash !== entry.fpHash) continue;
      const resumeAt = this.set.cursor(entry.sourceId)?.emitOffset ?? entry.offset;
      const full = entry.fpLen >= this.opts.fingerprintBytes;
      if (!full && (size < resumeAt || resumeAt > entry.fpLen)) continue;
      if (!entry.detached) {
        const original = await this.original(entry);
        if (original === 'holds') {
          if (full && Date.now() - mtimeMs < COPY_WAIT_MS) {
            return { kind: 'wait', why: 'holds', entry };
          }
          continue;
        }
        if (original === 'missing' && !full) continue;
      }
      if (size >= resumeAt) return { kind: 'adopt', cursor: this.set.cursorFor(entry) };
      // Shorter than what was handed out: read, once what it holds is acknowledged.
      if (size <= entry.offset) return { kind: 'read', entry };
      return { kind: 'wait', why: 'acks', entry };
    }
    return NO_COPY;
  }

  /**
   * Where an attached entry's content is: still in its file ('holds'), lost
   * from it ('changed': a new generation starts there now), or out of sight.
   */
  private async original(entry: RegistryEntry): Promise<'holds' | 'changed' | 'missing'> {
    const holder = this.set.harvesters.get(FileKey.of(entry).toString());
    if (holder === undefined || holder.cursor.entry !== entry) return 'missing';
    const current = await this.currentPrefix(holder);
    if (current === null || prefixMatches(current, entry)) return 'holds';
    this.set.newGeneration(holder, current);
    this.control.wake(holder);
    return 'changed';
  }

  /**
   * Whether the file at `p` still starts with the content `h` was reading: an
   * inode freed and reused by another file (a compressed copy) is not it.
   */
  private async holdsContent(p: string, h: Harvester): Promise<boolean> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(p, readFlags(this.opts.followSymlinks));
      const st = await handle.stat({ bigint: true });
      if (!FileKey.ofStats(st).equals(h.key)) return false;
      return prefixMatches(await readPrefix(handle, this.opts.fingerprintBytes), h.cursor.entry);
    } catch {
      return false;
    } finally {
      await handle?.close();
    }
  }

  private async currentPrefix(h: Harvester): Promise<Buffer | null> {
    if (h.isOpen) return h.prefix();
    let handle: FileHandle | undefined;
    try {
      handle = await open(h.path, readFlags(this.opts.followSymlinks));
      const st = await handle.stat({ bigint: true });
      if (!FileKey.ofStats(st).equals(h.key)) return null;
      return await readPrefix(handle, this.opts.fingerprintBytes);
    } catch {
      return null;
    } finally {
      await handle?.close();
    }
  }
}

/** Entries of a directory looked at, at most, for files that left the patterns. */
const MAX_MOVED_LOOKUPS = 4096;

/**
 * Where closed harvesters' files went when their paths no longer name them: a
 * regular file with the same dev/ino in the same directory (rotated to a name
 * the patterns do not match). Each directory is listed once per scan, however
 * many of its files vanished (a whole directory deleted costs one readdir).
 */
class MovedFiles {
  private readonly dirs = new Map<string, Map<string, string>>();

  /** The file's new path, or undefined (deleted, or moved elsewhere). */
  async find(h: Harvester): Promise<string | undefined> {
    const dir = path.dirname(h.path);
    let byKey = this.dirs.get(dir);
    if (byKey === undefined) {
      byKey = await listByKey(dir);
      this.dirs.set(dir, byKey);
    }
    return byKey.get(h.key.toString());
  }
}

async function listByKey(dir: string): Promise<Map<string, string>> {
  const byKey = new Map<string, string>();
  let names: Dirent[];
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch {
    return byKey;
  }
  let looked = 0;
  for (const entry of names) {
    if (!entry.isFile()) continue;
    if (++looked > MAX_MOVED_LOOKUPS) break;
    const candidate = path.join(dir, entry.name);
    try {
      const st = await lstat(candidate, { bigint: true });
      if (st.isFile()) byKey.set(FileKey.ofStats(st).toString(), candidate);
    } catch {
      // Gone meanwhile: not one of them.
    }
  }
  return byKey;
}

function toFields(prefix: Buffer): { fpLen: number; fpHash: string } {
  const fp = fingerprintOf(prefix);
  return { fpLen: fp.len, fpHash: fp.hash };
}
