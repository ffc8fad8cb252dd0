// CPU time and memory of another process, read from /proc (Linux): the
// benchmark measures the agent and the writer as the separate processes they
// are in production, never its own process. A sampler records RSS once a
// second and CPU ticks at any moment asked.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // getconf is missing on some minimal images: 100 is Linux's value nearly everywhere.
}

/** User + system CPU seconds of `pid` so far (children not included). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) are at 11 and 12 once pid and comm are cut off.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/**
 * CPU seconds of this process's children that have ended and been waited for
 * (cutime + cstime): read before and after a child runs to measure a child that
 * exits, whose /proc entry is gone by then. Only one child may end in between.
 */
export function endedChildrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime) are at 13 and 14 once pid and comm are cut off.
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

/** Resident set size and its peak (VmHWM), in MiB. */
export function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/**
 * Samples RSS of `pid` every `intervalMs` until stopped. `mark(label)` tags
 * the samples that follow (e.g. 'before', 'outage', 'after').
 */
export function startRssSampler(pid, intervalMs = 1000) {
  const samples = [];
  let label = '';
  const take = () => {
    try {
      samples.push({ t: Date.now(), label, rss: memoryMiB(pid).rss });
    } catch {
      // The process is gone: the samples so far stand.
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    mark(next) {
      label = next;
      take();
    },
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

export function machineInfo() {
  let model = '';
  try {
    model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    model = 'unknown';
  }
  return { model, ticksPerSecond };
}
