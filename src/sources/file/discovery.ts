// Discovery: a full walk of the glob patterns (the truth, run at start and on
// every rescan) and a directory watcher whose events are only hints that
// something changed. A path that could not be looked at (EACCES, EMFILE, ...)
// is reported as unobserved, never as gone. Unless symlinks are followed, a
// matching symlink is reported apart and never read, and linked directories
// are not descended into: whoever writes to the log directory must not be
// able to point logpod at another file.

import { watch, type FSWatcher } from 'chokidar';
import type { BigIntStats, Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { errCode } from '../../errors.js';
import type { Glob, GlobSet, GlobState } from './glob.js';
import type { FileInputEvents } from './events.js';

/** Directory levels walked below a pattern's base at most (guards `**` and link loops). */
const MAX_DEPTH = 16;
const STAT_CONCURRENCY = 32;

export interface ScanResult {
  /** Regular files matching the patterns, by path. */
  files: Map<string, BigIntStats>;
  /** Matching paths that are directories (ignored, with a warning). */
  directories: string[];
  /** Paths (files or directories) that could not be looked at: whatever lies there is not gone. */
  unobserved: string[];
  /** Matching paths that are symlinks, skipped because symlinks are not followed. */
  symlinks: string[];
}

/** Walks every pattern and stats the matches. */
export async function scanFiles(
  globs: GlobSet,
  events: FileInputEvents,
  followSymlinks = true,
): Promise<ScanResult> {
  const candidates = new Set<string>();
  const result: ScanResult = { files: new Map(), directories: [], unobserved: [], symlinks: [] };
  for (const glob of globs.includes) {
    await walk(glob, glob.base, glob.start(), 0, candidates, result, events, followSymlinks);
  }
  const paths = [...candidates].filter((p) => !globs.isExcluded(p));
  for (let i = 0; i < paths.length; i += STAT_CONCURRENCY) {
    await Promise.all(
      paths.slice(i, i + STAT_CONCURRENCY).map((p) => statOne(p, result, events, followSymlinks)),
    );
  }
  return result;
}

async function statOne(
  p: string,
  result: ScanResult,
  events: FileInputEvents,
  followSymlinks: boolean,
): Promise<void> {
  try {
    const st = followSymlinks ? await stat(p, { bigint: true }) : await lstat(p, { bigint: true });
    if (st.isSymbolicLink()) result.symlinks.push(p);
    else if (st.isFile()) result.files.set(p, st);
    else if (st.isDirectory()) result.directories.push(p);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    result.unobserved.push(p);
    events.emitPathUnobserved(p, err);
  }
}

async function walk(
  glob: Glob,
  dir: string,
  state: GlobState,
  depth: number,
  candidates: Set<string>,
  result: ScanResult,
  events: FileInputEvents,
  followSymlinks: boolean,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    result.unobserved.push(dir);
    events.emitDirectoryUnlisted(dir, err);
    return;
  }
  for (const entry of entries) {
    const next = glob.step(state, entry.name);
    if (next.length === 0) continue;
    const full = dir === '/' ? `/${entry.name}` : `${dir}/${entry.name}`;
    if (glob.accepts(next)) candidates.add(full);
    if (!glob.canDescend(next) || depth >= MAX_DEPTH) continue;
    let isDir = entry.isDirectory();
    if (!isDir && followSymlinks && entry.isSymbolicLink() && !glob.inGlobstar(next)) {
      isDir = await stat(full).then(
        (s) => s.isDirectory(),
        () => false,
      );
    }
    if (isDir) await walk(glob, full, next, depth + 1, candidates, result, events, followSymlinks);
  }
}

export type HintKind = 'change' | 'other';

/**
 * Watches the base directories of the patterns. Events are hints: 'change'
 * for a matching file that was written to, 'other' for anything that calls
 * for a rescan (a file or directory added or removed).
 */
export class DirectoryWatcher {
  private watcher: FSWatcher | null = null;
  private readonly watched = new Set<string>();

  constructor(
    private readonly globs: GlobSet,
    private readonly events: FileInputEvents,
    private readonly onHint: (kind: HintKind, path: string) => void,
  ) {}

  /** Starts watching base directories that exist now and were not watched yet. */
  async sync(): Promise<void> {
    for (const glob of this.globs.includes) {
      const base = glob.base;
      const exists = await stat(base).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!exists) {
        if (this.watched.delete(base)) this.watcher?.unwatch(base);
        continue;
      }
      if (this.watched.has(base)) continue;
      this.watched.add(base);
      this.ensureWatcher().add(base);
    }
  }

  async close(): Promise<void> {
    const w = this.watcher;
    this.watcher = null;
    this.watched.clear();
    if (w !== null) await w.close();
  }

  private ensureWatcher(): FSWatcher {
    if (this.watcher !== null) return this.watcher;
    const depth = Math.min(MAX_DEPTH, Math.max(0, ...this.globs.includes.map((g) => g.depth)));
    const w = watch([], {
      ignoreInitial: true,
      persistent: false,
      atomic: false,
      followSymlinks: false,
      depth,
    });
    w.on('all', (event, p) => {
      if (event === 'change') {
        if (this.globs.matches(p)) this.onHint('change', p);
      } else if (event === 'add' || event === 'unlink') {
        if (this.globs.matches(p)) this.onHint('other', p);
      } else if (event === 'addDir' || event === 'unlinkDir') {
        this.onHint('other', p);
      }
    });
    w.on('error', (err) => {
      this.events.emitWatcherFailed(err);
    });
    this.watcher = w;
    return w;
  }
}
