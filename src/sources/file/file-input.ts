// The file input: discovers log files by glob, reads them line by line and
// hands chunks to the pipeline; a chunk's ack is the only thing that moves a
// file's saved position. Start loads the registry and runs the first
// discovery; stop ends discovery and reading, waits (bounded) for acks and
// writes the registry last.

import type { Logger } from '../../logger.js';
import { DirectoryWatcher, scanFiles, type HintKind } from './discovery.js';
import { FileSet } from './file-set.js';
import { GlobSet } from './glob.js';
import type { FileInputOptions } from './options.js';
import { Prospector } from './prospector.js';
import { sleep } from '../../support/backoff.js';
import { withDeadline } from '../../support/deadline.js';
import { LoggedFileInputEvents } from './events.js';
import { Registry } from './registry.js';
import { Scheduler, type ChunkHandler } from './scheduler.js';
import { newCounters, type FileChunk, type FileInputStats, type FileStats } from './types.js';

/** Watcher events are coalesced for this long before a rescan. */
const HINT_DEBOUNCE_MS = 50;
const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

interface Running {
  set: FileSet;
  scheduler: Scheduler;
  prospector: Prospector;
  watcher: DirectoryWatcher;
  loop: Promise<void>;
  timers: NodeJS.Timeout[];
}

export class FileInput {
  private readonly opts: FileInputOptions;
  /** What the input reports about itself: logged and counted. */
  readonly events: LoggedFileInputEvents;
  private readonly globs: GlobSet;
  private readonly registry: Registry;
  private readonly counters = newCounters();
  private running: Running | null = null;
  private stopped = false;
  private scanDue = false;
  private scanning = false;
  private scansDone = 0;
  private hintTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<{ afterScan: number; resolve: () => void }> = [];

  /** `events` replaces the logging of events (tests pass one that also records them). */
  constructor(opts: FileInputOptions, logger: Logger, events?: LoggedFileInputEvents) {
    this.opts = { ...opts, paths: [...opts.paths], exclude: [...opts.exclude] };
    const own = logger.bindings().input === opts.id ? logger : logger.child({ input: opts.id });
    this.events = events ?? new LoggedFileInputEvents(own);
    this.globs = new GlobSet(this.opts.paths, this.opts.exclude);
    this.registry = new Registry(this.opts.dataDir, this.opts.id, this.events);
  }

  /** Loads the registry and runs the first discovery; reading then goes on in the background. */
  async start(onChunk: (chunk: FileChunk) => Promise<void> | void): Promise<void> {
    if (this.running !== null || this.stopped) throw new Error('FileInput.start called twice');
    await this.registry.load();
    if (this.stopped) return;
    const freshStart = this.registry.size === 0;
    const set = new FileSet(this.opts, this.registry, this.counters, this.events, () =>
      this.requestScan(),
    );
    const scheduler = new Scheduler({
      options: this.opts,
      set,
      registry: this.registry,
      counters: this.counters,
      events: this.events,
      onChunk: onChunk as ChunkHandler,
      scanIfDue: () => this.scanIfDue(),
      onQuiet: () => this.onQuiet(),
    });
    const prospector = new Prospector(
      this.opts,
      set,
      this.registry,
      scheduler,
      this.events,
      freshStart,
    );
    const watcher = new DirectoryWatcher(this.globs, this.events, (kind, p) =>
      this.onHint(kind, p),
    );
    const running: Running = {
      set,
      scheduler,
      prospector,
      watcher,
      loop: Promise.resolve(),
      timers: [],
    };
    this.running = running;
    await this.runScan();
    // Stopped during the first scan: stop() wrote the registry; nothing more starts.
    if (this.stopped) return;
    // Where start_at put new files is saved at once: a crash now must not move it.
    await this.registry.flush();
    const stats = this.stats();
    this.events.emitDiscoveryDone(stats.files.length, stats.backlogBytes, this.opts.paths);
    running.timers.push(
      setInterval(() => this.requestScan(), this.opts.rescanIntervalMs),
      setInterval(() => void this.flushRegistry(), this.opts.registryFlushIntervalMs),
    );
    running.loop = scheduler.run().catch((err: unknown) => {
      this.events.emitReadLoopFailed(err);
    });
  }

  /** Stops discovery and reading, waits up to drainTimeoutMs for acks, then writes the registry. */
  async stop(opts: { drainTimeoutMs?: number } = {}): Promise<void> {
    const running = this.running;
    if (running === null || this.stopped) {
      this.stopped = true;
      return;
    }
    this.stopped = true;
    const deadline = Date.now() + (opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    for (const timer of running.timers) clearInterval(timer);
    if (this.hintTimer !== null) clearTimeout(this.hintTimer);
    await running.watcher.close().catch(() => undefined);
    running.scheduler.stop();
    await withDeadline(running.loop, Math.max(0, deadline - Date.now()));
    while (running.scheduler.inFlightEvents > 0 && Date.now() < deadline) await sleep(10);
    if (running.scheduler.inFlightEvents > 0) {
      this.events.emitStoppedUnacknowledged(running.scheduler.inFlightEvents);
    }
    await running.scheduler.closeAll();
    await this.registry.flush(true);
  }

  /** Resolves when every known file is read to its current end and every chunk is acked. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push({ afterScan: this.scansDone + (this.scanning ? 2 : 1), resolve });
      this.requestScan();
    });
  }

  stats(): FileInputStats {
    const files: FileStats[] = [];
    let backlogBytes = 0;
    const running = this.running;
    if (running !== null) {
      for (const h of running.set.harvesters.values()) {
        files.push({
          path: h.path,
          sourceId: h.cursor.sourceId,
          size: h.size,
          offsetRead: h.readOffset,
          offsetAcked: h.cursor.entry.offset,
          open: h.isOpen,
        });
        if (h.size > h.readOffset) backlogBytes += h.size - h.readOffset;
      }
    }
    return {
      files,
      openFiles: running?.scheduler.openCount ?? 0,
      lines: this.counters.lines,
      bytes: this.counters.bytes,
      bytesRead: this.counters.bytesRead,
      backlogBytes,
      truncatedLines: this.counters.truncatedLines,
      skippedBytes: this.counters.skippedBytes,
      registryWrites: this.registry.writes,
      registryWriteErrors: this.registry.writeErrors,
      unreadableFiles: running === null ? [] : [...running.set.unreadable],
      inFlightBytes: running?.scheduler.inFlightBytes ?? 0,
      inFlightEvents: running?.scheduler.inFlightEvents ?? 0,
      events: { ...this.events.counts },
    };
  }

  private requestScan(): void {
    if (this.stopped) return;
    this.scanDue = true;
    this.running?.scheduler.signal();
  }

  private onHint(kind: HintKind, p: string): void {
    if (this.stopped || this.running === null) return;
    if (kind === 'change') {
      const h = this.running.set.byPath.get(p);
      if (h !== undefined) {
        this.running.scheduler.wake(h);
        return;
      }
    }
    if (this.hintTimer !== null) return;
    this.hintTimer = setTimeout(() => {
      this.hintTimer = null;
      this.requestScan();
    }, HINT_DEBOUNCE_MS);
  }

  private async scanIfDue(): Promise<boolean> {
    if (!this.scanDue) return false;
    await this.runScan();
    return true;
  }

  private async runScan(): Promise<void> {
    const running = this.running!;
    this.scanDue = false;
    this.scanning = true;
    try {
      const result = await scanFiles(this.globs, this.events, this.opts.followSymlinks);
      await running.prospector.apply(result);
      await running.watcher.sync();
    } catch (err) {
      this.events.emitScanFailed(err);
    } finally {
      this.scanning = false;
      this.scansDone++;
    }
  }

  private onQuiet(): void {
    if (this.idleWaiters.length === 0 || this.scanDue || this.scanning) return;
    const waiting = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiting) {
      if (w.afterScan <= this.scansDone) w.resolve();
      else this.idleWaiters.push(w);
    }
  }

  private async flushRegistry(): Promise<void> {
    const running = this.running;
    if (running === null || this.stopped) return;
    this.registry.cleanup(Date.now(), this.opts.registryCleanAfterMs, (e) => running.set.inUse(e));
    await this.registry.flush();
  }
}
