// Everything the file input says about itself goes through FileInputEvents:
// one method per event, so the parts that read files name what happened and
// never format log lines. The logging implementation counts every event and
// logs it (once per window and key for those that can repeat: an unreadable
// file is reported once per window, not once per rescan). Tests assert on
// the events and their counts, not on log text.

import { errCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { RateLimitedLog, type LimitedLevel } from '../../support/rate-limited-log.js';

export interface FileInputEvents {
  /** The first discovery is applied. */
  emitDiscoveryDone(files: number, backlogBytes: number, patterns: readonly string[]): void;
  /** A discovery scan failed as a whole; the next rescan tries again. */
  emitScanFailed(err: unknown): void;
  /** A path matching the patterns is a directory: ignored. */
  emitDirectoryMatched(path: string): void;
  /** Matching paths that are symlinks, skipped since follow_symlinks is off (each named once). */
  emitSymlinksSkipped(paths: readonly string[]): void;
  /** A matching path could not be looked at: whatever was there is kept as it was. */
  emitPathUnobserved(path: string, err: unknown): void;
  /** A directory could not be listed: files in it are kept as they were. */
  emitDirectoryUnlisted(dir: string, err: unknown): void;
  /** The directory watcher failed: the periodic rescan still finds changes. */
  emitWatcherFailed(err: unknown): void;
  /** A file was opened: a later failure to open it is reported again at once. */
  emitFileOpened(path: string): void;
  /** A file cannot be opened or read (permission denied, or another error); retried on rescan. */
  emitFileUnreadable(path: string, err: unknown): void;
  /** The process is out of file descriptors: reading waits. */
  emitDescriptorsExhausted(path: string): void;
  /** A new file starts with a known content that is still being read (a copy in progress?). */
  emitCopyWaiting(path: string, sourceId: string, original: string, why: 'holds' | 'acks'): void;
  /** A copy of a truncated file holds its content: reading goes on from where it stopped. */
  emitCopyAdopted(path: string, sourceId: string, offset: number): void;
  /** A copy of a truncated file holds only lines already read: not read again. */
  emitCopyAlreadyRead(path: string, sourceId: string, size: number): void;
  /** A file was truncated or rewritten: read again from 0 under a new source id. */
  emitFileRewritten(path: string, previousSourceId: string, sourceId: string): void;
  /**
   * A closed file left the patterns (renamed to a name they do not match): it is
   * read to its end under its new name before it is forgotten.
   */
  emitFileMovedAway(path: string, to: string, sourceId: string): void;
  /** A rotated file, every line of it acknowledged, was deleted (remove_after). */
  emitFileRemoved(path: string, sourceId: string, size: number): void;
  /** Deleting a shipped rotated file failed: it stays, and is not tried again. */
  emitFileRemoveFailed(path: string, err: unknown): void;
  /** Reading a file failed: its harvester stops; the next rescan finds the file again. */
  emitHarvesterFailed(path: string, err: unknown): void;
  /** The consumer of file chunks threw: the lines stay unacknowledged. */
  emitConsumerFailed(path: string, err: unknown): void;
  /** The read loop itself failed: reading stopped. */
  emitReadLoopFailed(err: unknown): void;
  /** Stopped before every line handed out was acknowledged: they are read again on start. */
  emitStoppedUnacknowledged(lines: number): void;
  /** The registry was loaded with `entries` entries. */
  emitRegistryLoaded(file: string, entries: number): void;
  /** There is no registry yet: every file is new. */
  emitRegistryMissing(file: string): void;
  /** The registry (or its directory) could not be read or created: starting without it. */
  emitRegistryUnreadable(path: string, err: unknown): void;
  /** The registry is corrupt; moved aside to `movedTo` (undefined when that failed too). */
  emitRegistryCorrupt(file: string, reason: string, movedTo?: string, err?: unknown): void;
  /** Writing the registry failed: positions stay in memory, the write is retried. */
  emitRegistryWriteFailed(file: string, err: unknown, failures: number): void;
  /** The registry was written after earlier writes failed. */
  emitRegistryWriteRecovered(file: string): void;
}

export const FILE_INPUT_EVENTS = [
  'discovery_done',
  'scan_failed',
  'directory_matched',
  'symlinks_skipped',
  'path_unobserved',
  'directory_unlisted',
  'watcher_failed',
  'file_opened',
  'file_unreadable',
  'descriptors_exhausted',
  'copy_waiting',
  'copy_adopted',
  'copy_already_read',
  'file_rewritten',
  'file_moved_away',
  'file_removed',
  'file_remove_failed',
  'harvester_failed',
  'consumer_failed',
  'read_loop_failed',
  'stopped_unacknowledged',
  'registry_loaded',
  'registry_missing',
  'registry_unreadable',
  'registry_corrupt',
  'registry_write_failed',
  'registry_write_recovered',
] as const;

export type FileInputEventName = (typeof FILE_INPUT_EVENTS)[number];

export type FileInputEventCounts = Record<FileInputEventName, number>;

/** Symlinks named in one warning at most; the count says how many there were. */
const MAX_NAMED_SYMLINKS = 20;

/** A repeating warning is logged at most once per this window and key. */
const WARN_WINDOW_MS = 10 * 60_000;
/** A failing registry write is reported more often: positions are at risk. */
const REGISTRY_WINDOW_MS = 60_000;

function isDenied(err: unknown): boolean {
  const code = errCode(err);
  return code === 'EACCES' || code === 'EPERM';
}

/** The production FileInputEvents: each event is counted and logged. */
export class LoggedFileInputEvents implements FileInputEvents {
  readonly counts: FileInputEventCounts;
  private readonly limited: RateLimitedLog;
  private readonly registryLimited: RateLimitedLog;

  constructor(private readonly logger: Logger) {
    this.counts = Object.fromEntries(
      FILE_INPUT_EVENTS.map((name) => [name, 0]),
    ) as FileInputEventCounts;
    this.limited = new RateLimitedLog(logger, WARN_WINDOW_MS);
    this.registryLimited = new RateLimitedLog(logger, REGISTRY_WINDOW_MS);
  }

  emitDiscoveryDone(files: number, backlogBytes: number, patterns: readonly string[]): void {
    this.record('discovery_done', 'info', { files, backlogBytes, patterns }, 'file discovery done');
  }

  emitScanFailed(err: unknown): void {
    this.record(
      'scan_failed',
      'error',
      { err },
      'file discovery failed: retried on the next rescan',
      'scan',
    );
  }

  emitDirectoryMatched(path: string): void {
    this.record(
      'directory_matched',
      'warn',
      { path },
      'a path matching the patterns is a directory: ignored',
      `dir:${path}`,
    );
  }

  emitSymlinksSkipped(paths: readonly string[]): void {
    // Counted per link; the caller names a link again only after it was gone.
    this.counts.symlinks_skipped += paths.length;
    const fields = { paths: paths.slice(0, MAX_NAMED_SYMLINKS), count: paths.length };
    this.onEvent('symlinks_skipped', fields);
    this.logger.warn(
      fields,
      'symlinks match the patterns: skipped, they are not followed (follow_symlinks: false)',
    );
  }

  emitPathUnobserved(path: string, err: unknown): void {
    this.record(
      'path_unobserved',
      'warn',
      { path, err },
      'cannot look at a matching path: it is kept as it was',
      `stat:${path}`,
    );
  }

  emitDirectoryUnlisted(dir: string, err: unknown): void {
    this.record(
      'directory_unlisted',
      'warn',
      { dir, err },
      'cannot list a directory: files in it are kept as they were',
      `readdir:${dir}`,
    );
  }

  emitWatcherFailed(err: unknown): void {
    this.record(
      'watcher_failed',
      'warn',
      { err },
      'file watcher error: relying on the periodic rescan',
      'watch',
    );
  }

  emitFileOpened(path: string): void {
    this.counts.file_opened++;
    this.onEvent('file_opened', { path });
    this.limited.clear(`open:${path}`);
  }

  emitFileUnreadable(path: string, err: unknown): void {
    this.record(
      'file_unreadable',
      'warn',
      { path, err },
      isDenied(err)
        ? 'cannot read a log file (permission denied): skipped, retried on each rescan'
        : 'cannot read a log file: retried on the next rescan',
      `open:${path}`,
    );
  }

  emitDescriptorsExhausted(path: string): void {
    this.record(
      'descriptors_exhausted',
      'warn',
      { path },
      'too many open files: reading waits; lower max_open_files',
      'emfile',
    );
  }

  emitCopyWaiting(path: string, sourceId: string, original: string, why: 'holds' | 'acks'): void {
    this.record(
      'copy_waiting',
      'info',
      { path, sourceId, original, why },
      why === 'holds'
        ? 'a new file starts with the content of a file still being read (a copy in progress?): ' +
            'waiting for the original to be truncated, or for the copy to sit unchanged 10 s'
        : 'a copy of a truncated file ends before lines not yet acknowledged: ' +
            'looked at again when they are',
      `copy-wait:${path}`,
    );
  }

  emitCopyAdopted(path: string, sourceId: string, offset: number): void {
    this.limited.clear(`copy-wait:${path}`);
    this.record(
      'copy_adopted',
      'info',
      { path, sourceId, offset },
      'found the content of a truncated file in a copy: reading on from where it stopped',
      `copy:${path}`,
    );
  }

  emitCopyAlreadyRead(path: string, sourceId: string, size: number): void {
    this.limited.clear(`copy-wait:${path}`);
    this.record(
      'copy_already_read',
      'info',
      { path, sourceId, size },
      'found a copy of a truncated file holding only lines already read: not read again',
      `copy:${path}`,
    );
  }

  emitFileRewritten(path: string, previousSourceId: string, sourceId: string): void {
    this.record(
      'file_rewritten',
      'info',
      { path, previousSourceId, sourceId },
      'file was truncated or rewritten: reading it again from the start',
      `generation:${path}`,
    );
  }

  emitFileMovedAway(path: string, to: string, sourceId: string): void {
    this.record(
      'file_moved_away',
      'info',
      { path, to, sourceId, reason: 'file_moved_away' },
      'a closed file left the patterns: reading it to its end before forgetting it',
    );
  }

  emitFileRemoved(path: string, sourceId: string, size: number): void {
    this.record(
      'file_removed',
      'info',
      { path, sourceId, size },
      'removed a rotated file: every line of it was acknowledged (remove_after)',
    );
  }

  emitFileRemoveFailed(path: string, err: unknown): void {
    this.record(
      'file_remove_failed',
      'warn',
      { path, err },
      'cannot remove a shipped rotated file (remove_after): it stays; is the log volume read-only?',
      `remove:${path}`,
    );
  }

  emitHarvesterFailed(path: string, err: unknown): void {
    this.record(
      'harvester_failed',
      'error',
      { err, path },
      'reading a log file failed: it is retried on the next rescan',
      `fail:${path}`,
    );
  }

  emitConsumerFailed(path: string, err: unknown): void {
    this.record(
      'consumer_failed',
      'error',
      { err, path },
      'the consumer of file chunks failed',
      'consumer',
    );
  }

  emitReadLoopFailed(err: unknown): void {
    this.record(
      'read_loop_failed',
      'error',
      { err },
      'file input read loop failed: reading stopped',
    );
  }

  emitStoppedUnacknowledged(lines: number): void {
    this.record(
      'stopped_unacknowledged',
      'warn',
      { lines },
      'stopping with unacknowledged lines: they are read again on the next start',
    );
  }

  emitRegistryLoaded(file: string, entries: number): void {
    this.record('registry_loaded', 'info', { file, entries }, 'registry loaded');
  }

  emitRegistryMissing(file: string): void {
    this.record('registry_missing', 'info', { file }, 'no registry yet: every file is new');
  }

  emitRegistryUnreadable(path: string, err: unknown): void {
    this.record(
      'registry_unreadable',
      'error',
      { err, path },
      'cannot read the registry or create its directory: starting without it',
    );
  }

  emitRegistryCorrupt(file: string, reason: string, movedTo?: string, err?: unknown): void {
    if (movedTo !== undefined) {
      this.record(
        'registry_corrupt',
        'error',
        { file, movedTo, reason },
        'registry is corrupt: moved aside, starting without it (files are read by start_at)',
      );
    } else {
      this.record(
        'registry_corrupt',
        'error',
        { err, file, reason },
        'registry is corrupt and could not be moved aside: starting without it',
      );
    }
  }

  emitRegistryWriteFailed(file: string, err: unknown, failures: number): void {
    this.counts.registry_write_failed++;
    this.onEvent('registry_write_failed', { file, err, failures });
    this.registryLimited.log(
      'error',
      'write',
      { err, file, errors: failures },
      'cannot write the registry: reading goes on, positions are kept in memory and the write is retried',
    );
  }

  emitRegistryWriteRecovered(file: string): void {
    this.registryLimited.clear('write');
    this.record('registry_write_recovered', 'info', { file }, 'the registry is written again');
  }

  /** Called with every event; a test double overrides it to keep a list. */
  protected onEvent(_name: FileInputEventName, _fields: Record<string, unknown>): void {}

  private record(
    name: FileInputEventName,
    level: LimitedLevel,
    fields: Record<string, unknown>,
    message: string,
    limitKey?: string,
  ): void {
    this.counts[name]++;
    this.onEvent(name, fields);
    if (limitKey !== undefined) this.limited.log(level, limitKey, fields, message);
    else this.logger[level](fields, message);
  }
}
