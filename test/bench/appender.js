// Plays nginx: appends generated lines to a log file at a steady rate (lines
// due are computed from the elapsed time, so a late timer catches up instead of
// lowering the rate) and remembers when each line was written.

import { closeSync, openSync, writeSync } from 'node:fs';
import { createLogGenerator } from './nginx-log-generator.js';

const TICK_MS = 10;

/** Appends `n` lines now; returns the time they were written. */
function appendLines(fd, gen, n) {
  let text = '';
  const now = Date.now();
  for (let i = 0; i < n; i++) text += gen.nextAt(now) + '\n';
  writeSync(fd, text);
  return Date.now();
}

/**
 * Starts appending to `path` at `rate` lines/s. `writtenAt[i]` is when line i
 * (0-based, counted from this appender's start) was written.
 */
export function startAppender(path, rate, seed = 7) {
  const fd = openSync(path, 'a');
  const gen = createLogGenerator({ seed, format: 'main' });
  const writtenAt = [];
  const started = Date.now();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    const due = Math.floor(((Date.now() - started) / 1000) * rate) - writtenAt.length;
    if (due <= 0) return;
    const at = appendLines(fd, gen, due);
    for (let i = 0; i < due; i++) writtenAt.push(at);
  }, TICK_MS);
  return {
    writtenAt,
    get count() {
      return writtenAt.length;
    },
    stop() {
      if (stopped) return writtenAt.length;
      stopped = true;
      clearInterval(timer);
      closeSync(fd);
      return writtenAt.length;
    },
  };
}
