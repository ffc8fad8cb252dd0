// The read loop: the one place that reads files, hands out chunks and takes
// acks back. Open files take turns round-robin (one read each per turn); files
// beyond max_open_files wait and are opened as others close. Reading pauses
// while in-flight bytes or events are at their bound and resumes on acks.

import type { FileHandle } from 'node:fs/promises';
import type { FileSet } from './file-set.js';
import type { FileInputOptions } from './options.js';
import type { HarvesterControl } from './prospector.js';
import type { FileInputEvents } from './events.js';
import type { Harvester } from './harvester.js';
import type { Registry } from './registry.js';
import type { Cursor } from './cursor.js';
import type { AckSlot } from './acks.js';
import type { FileChunk, InputCounters, RawLine } from './types.js';
import { removable, removeFile } from './remove-shipped.js';

/** How often open idle files are polled for growth, timeouts and closing. */
export const POLL_INTERVAL_MS = 250;
/** Turns a file may keep its descriptor while other files wait for one. */
const FAIR_TURNS = 64;

class Deque<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export type ChunkHandler = (chunk: FileChunk) => Promise<void> | void;

export interface SchedulerOptions {
  options: FileInputOptions;
  set: FileSet;
  registry: Registry;
  counters: InputCounters;
  events: FileInputEvents;
  /** Receives each chunk; its ack (not its return) is what moves the registry. */
  onChunk: ChunkHandler;
  /** Runs a discovery scan when one is due; returns false when none was. */
  scanIfDue(): Promise<boolean>;
  /** Called whenever the loop runs out of work (for whenIdle). */
  onQuiet(): void;
}

export class Scheduler implements HarvesterControl {
  inFlightBytes = 0;
  inFlightEvents = 0;
  openCount = 0;
  private readonly ready = new Deque<Harvester>();
  private readonly waiting = new Deque<Harvester>();
  /** Open harvesters with nothing to read, oldest first: closed first when a descriptor is needed. */
  private readonly openIdle = new Set<Harvester>();
  private readonly readBuf: Buffer;
  private stopping = false;
  private nextTick = 0;
  private wakeUp: (() => void) | null = null;
  private blockedUntil = 0;

  private readonly opts: FileInputOptions;
  private readonly set: FileSet;
  private readonly registry: Registry;
  private readonly counters: InputCounters;
  private readonly events: FileInputEvents;
  private readonly onChunk: ChunkHandler;
  private readonly hooks: Pick<SchedulerOptions, 'scanIfDue' | 'onQuiet'>;

  constructor(opts: SchedulerOptions) {
    this.opts = opts.options;
    this.set = opts.set;
    this.registry = opts.registry;
    this.counters = opts.counters;
    this.events = opts.events;
    this.onChunk = opts.onChunk;
    this.hooks = opts;
    this.readBuf = Buffer.allocUnsafe(opts.options.readBufferBytes);
  }

  /** True when there is nothing queued to read. */
  get quiet(): boolean {
    return this.ready.length === 0 && this.waiting.length === 0;
  }

  signal(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  wake(h: Harvester): void {
    if (h.queued !== null || h.dropped || this.stopping) return;
    this.openIdle.delete(h);
    if (h.isOpen) {
      h.queued = 'ready';
      this.ready.push(h);
    } else {
      h.queued = 'waiting';
      this.waiting.push(h);
    }
    this.signal();
  }

  async offerHandle(h: Harvester, handle: FileHandle): Promise<void> {
    if (this.openCount >= this.opts.maxOpenFiles || this.stopping) {
      await handle.close();
      return;
    }
    h.adoptHandle(handle);
    this.openCount++;
    this.openIdle.add(h);
  }

  async run(): Promise<void> {
    while (!this.stopping) {
      if (await this.hooks.scanIfDue()) continue;
      const now = Date.now();
      if (now >= this.nextTick) {
        this.nextTick = now + POLL_INTERVAL_MS;
        await this.tick(now);
        continue;
      }
      const h = this.overLimit() ? undefined : await this.next();
      if (h === undefined) {
        if (this.quiet && this.inFlightEvents === 0) this.hooks.onQuiet();
        await this.sleep(this.nextTick - Date.now());
        continue;
      }
      await this.turn(h);
    }
  }

  /** Stops the loop after the current step. */
  stop(): void {
    this.stopping = true;
    this.signal();
  }

  /** Closes every descriptor (after the loop ended). */
  async closeAll(): Promise<void> {
    for (const h of this.set.harvesters.values()) {
      if (h.isOpen) await this.close(h);
    }
  }

  private overLimit(): boolean {
    return (
      this.inFlightBytes >= this.opts.maxInFlightBytes ||
      this.inFlightEvents >= this.opts.maxInFlightEvents
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.signal(), Math.max(1, ms));
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The next harvester to read, opening waiting files while descriptors are free. */
  private async next(): Promise<Harvester | undefined> {
    const now = Date.now();
    while (this.waiting.length > 0 && now >= this.blockedUntil) {
      if (this.openCount >= this.opts.maxOpenFiles) {
        const victim = this.openIdle.values().next().value;
        if (victim === undefined) break;
        await this.close(victim);
      }
      const h = this.waiting.shift()!;
      h.queued = null;
      if (h.dropped) continue;
      if (await this.open(h)) {
        h.queued = 'ready';
        this.ready.push(h);
      }
    }
    for (;;) {
      const h = this.ready.shift();
      if (h === undefined) return undefined;
      h.queued = null;
      if (h.dropped) {
        await this.close(h);
      } else if (!h.isOpen) {
        // Closed after it was queued (a descriptor was needed elsewhere): wait for one again.
        this.wake(h);
      } else {
        return h;
      }
    }
  }

  private async open(h: Harvester): Promise<boolean> {
    let result;
    try {
      result = await h.open();
    } catch (err) {
      this.fail(h, err);
      return false;
    }
    switch (result) {
      case 'ok':
        this.openCount++;
        this.events.emitFileOpened(h.path);
        return true;
      case 'busy':
        // Out of descriptors in the process: try again on a later tick.
        this.blockedUntil = Date.now() + POLL_INTERVAL_MS;
        h.queued = 'waiting';
        this.waiting.push(h);
        this.events.emitDescriptorsExhausted(h.path);
        return false;
      case 'denied':
        this.set.unreadable.add(h.path);
        this.events.emitFileUnreadable(h.path, h.openError);
        this.set.drop(h);
        return false;
      case 'moved':
        // The path names another file now: the next scan finds this one where it went.
        this.set.drop(h);
        return false;
    }
  }

  private async close(h: Harvester): Promise<void> {
    this.openIdle.delete(h);
    if (!h.isOpen) return;
    this.openCount--;
    await h.close().catch((err: unknown) => this.fail(h, err));
  }

  /** One read of one file, and what follows from it. A failure stops this harvester only. */
  private async turn(h: Harvester): Promise<void> {
    try {
      const result = await h.read(this.readBuf);
      if (result.kind === 'data') {
        if (result.lines.length > 0) await this.emit(h, result.lines, h.framer.lineStart);
        // Fair share: a file that had many turns while others wait gives its descriptor up.
        // (A deleted or vanished file keeps its descriptor: it could not be opened again.)
        if (this.waiting.length > 0 && h.turns >= FAIR_TURNS && !h.gone && !h.deleted) {
          await this.close(h);
        }
        this.wake(h);
      } else if (result.kind === 'changed') {
        this.set.newGeneration(h, await h.prefix());
        this.wake(h);
      } else {
        await this.atEnd(h, Date.now());
      }
    } catch (err) {
      this.fail(h, err);
    }
  }

  /** A file read to its end: stays open for polling, or gives its descriptor up. */
  private async atEnd(h: Harvester, now: number): Promise<void> {
    const leaving = h.gone || h.deleted || h.renamedAt !== null;
    if (leaving && now - h.lastDataAt >= this.opts.closeRenamedMs) {
      await this.flushPartial(h);
      await this.close(h);
      if (h.gone || h.deleted) this.set.drop(h);
      return;
    }
    if (!leaving && (this.waiting.length > 0 || now - h.lastDataAt >= this.opts.closeInactiveMs)) {
      await this.close(h);
      return;
    }
    // A deleted or vanished file keeps its descriptor until drained: never a victim.
    if (!h.gone && !h.deleted && h.queued === null) this.openIdle.add(h);
  }

  /** Periodic work: poll open idle files, emit timed-out partial lines, close by timeouts. */
  private async tick(now: number): Promise<void> {
    for (const h of [...this.set.harvesters.values()]) {
      if (h.queued !== null) continue;
      if (
        h.framer.hasPartial &&
        now - h.lastDataAt >= this.opts.partialLineTimeoutMs &&
        !this.overLimit()
      ) {
        await this.flushPartial(h);
      }
      const removeAfter = this.opts.removeAfterMs;
      if (removeAfter !== undefined && removable(h, removeAfter, now)) {
        await this.remove(h);
        continue;
      }
      if (h.isOpen) this.wake(h);
    }
  }

  /** Deletes a shipped rotated file (remove_after) and forgets its harvester. */
  private async remove(h: Harvester): Promise<void> {
    try {
      const result = await removeFile(h);
      if (result === 'removed') this.events.emitFileRemoved(h.path, h.cursor.sourceId, h.size);
    } catch (err) {
      h.removeFailed = true;
      this.events.emitFileRemoveFailed(h.path, err);
      return;
    }
    await this.close(h);
    this.set.drop(h);
  }

  private async flushPartial(h: Harvester): Promise<void> {
    const lines: RawLine[] = [];
    if (h.framer.flushPartial(lines)) await this.emit(h, lines, h.framer.lineStart);
  }

  /** Hands lines out as chunks of at most batch_max_events / batch_max_bytes. */
  private async emit(h: Harvester, lines: RawLine[], endOffset: number): Promise<void> {
    const maxEvents = this.opts.batchMaxEvents;
    const maxBytes = this.opts.batchMaxBytes;
    let first = 0;
    let bytes = 0;
    for (let i = 0; i < lines.length; i++) {
      const len = lines[i].end - lines[i].start;
      if (i > first && (i - first >= maxEvents || bytes + len > maxBytes)) {
        await this.hand(h, lines.slice(first, i), bytes, lines[i].offset);
        first = i;
        bytes = 0;
      }
      bytes += len;
    }
    await this.hand(h, first === 0 ? lines : lines.slice(first), bytes, endOffset);
  }

  private async hand(
    h: Harvester,
    lines: RawLine[],
    bytes: number,
    endOffset: number,
  ): Promise<void> {
    const cursor = h.cursor;
    // A new source id goes to disk before its first line (see Registry.isUnsaved);
    // while the registry cannot be written, reading goes on without waiting for it.
    if (
      this.registry.isUnsaved(cursor.sourceId) &&
      Date.now() - this.registry.lastErrorAt >= this.opts.registryFlushIntervalMs
    ) {
      await this.registry.flush();
    }
    const slot = cursor.acks.push(endOffset);
    cursor.emitOffset = endOffset;
    this.inFlightBytes += bytes;
    this.inFlightEvents += lines.length;
    this.counters.lines += lines.length;
    this.counters.bytes += bytes;
    const chunk: FileChunk = {
      inputId: this.opts.id,
      sourceId: cursor.sourceId,
      path: h.path,
      lines,
      bytes,
      endOffset,
      ack: chunkAck(this, cursor, slot, bytes, lines.length),
    };
    try {
      await this.onChunk(chunk);
    } catch (err) {
      // The line stays unacknowledged: the registry never passes it, a restart re-reads it.
      this.events.emitConsumerFailed(h.path, err);
    }
  }

  /** A chunk acknowledged (once): in-flight bounds shrink, the registry may advance. */
  onAck(cursor: Cursor, slot: AckSlot, bytes: number, events: number): void {
    this.inFlightBytes -= bytes;
    this.inFlightEvents -= events;
    if (cursor.acks.ack(slot)) {
      cursor.entry.offset = cursor.acks.committed;
      cursor.entry.lastSeen = Date.now();
      this.registry.markDirty();
    }
    this.set.release(cursor);
    this.signal();
  }

  /** A harvester that failed stops alone; discovery finds the file again on the next scan. */
  private fail(h: Harvester, err: unknown): void {
    this.events.emitHarvesterFailed(h.path, err);
    if (h.isOpen) {
      this.openCount--;
      h.close().catch(() => undefined);
    }
    this.openIdle.delete(h);
    this.set.drop(h);
  }
}

/**
 * A chunk's ack: standalone, so it holds counts and the cursor's slot, never the
 * chunk's lines (an ack waits for the output; the read buffers must not).
 * Idempotent.
 */
function chunkAck(
  scheduler: Scheduler,
  cursor: Cursor,
  slot: AckSlot,
  bytes: number,
  events: number,
): () => void {
  let acked = false;
  return () => {
    if (acked) return;
    acked = true;
    scheduler.onAck(cursor, slot, bytes, events);
  };
}
