// Catch-up progress on a terminal: while files that existed at start are read,
// one stderr line is redrawn in place (bytes done / total, rate, ETA). Silent
// when the stream is not a TTY; stops by itself once the backlog is read.

import type { FileInputStats } from './types.js';

export interface ProgressSource {
  stats(): FileInputStats;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface Progress {
  stop(): void;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line for `done` of `total` bytes after `elapsedMs`. */
export function formatProgress(done: number, total: number, elapsedMs: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return (
    `catching up: ${formatBytes(done)} / ${formatBytes(total)} (${pct}%), ` +
    `${formatBytes(Math.round(rate))}/s, ETA ${done >= total ? '0s' : formatDuration(eta)}`
  );
}

/**
 * Starts the reporter over the inputs' stats. Total = bytes read since start
 * plus what is still waiting in the files, so files that grow meanwhile count.
 */
export function startProgress(
  inputs: ProgressSource[],
  stream: ProgressStream,
  opts: { intervalMs?: number } = {},
): Progress {
  if (stream.isTTY !== true) return { stop: () => undefined };
  const sum = () => {
    let read = 0;
    let backlog = 0;
    for (const input of inputs) {
      const s = input.stats();
      read += s.bytesRead;
      backlog += s.backlogBytes;
    }
    return { read, backlog };
  };
  const startedAt = Date.now();
  const base = sum().read;
  let drawn = false;
  let stopped = false;
  const draw = (): void => {
    const { read, backlog } = sum();
    const done = read - base;
    if (!drawn && backlog === 0) return;
    drawn = true;
    stream.write(`\r\x1b[2K${formatProgress(done, done + backlog, Date.now() - startedAt)}`);
    if (backlog === 0) finish();
  };
  const timer = setInterval(draw, opts.intervalMs ?? 500);
  timer.unref();
  const finish = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (drawn) stream.write('\n');
  };
  return { stop: finish };
}
