// Background JVMs for the test services: spawned detached with output to a file so
// they outlive the command that started them, recognised by their command line (a
// recorded pid is only trusted while /proc says it is still our JVM), stopped with
// SIGTERM and, after a bounded wait, SIGKILL.
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * True when pid is alive and its command line contains every marker: protects
 * against signalling an unrelated process that reused a recorded pid.
 * @param {number | undefined} pid
 * @param {string[]} markers
 */
export function isOurProcess(pid, markers) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let cmdline;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  if (/^\S+\s+\(.*\)\s+Z/.test(readStat(pid))) return false;
  return markers.every((m) => cmdline.includes(m));
}

function readStat(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Starts a detached JVM whose stdout and stderr go to logFile; returns its pid.
 * @param {{ java: string, args: string[], cwd: string, logFile: string }} opts
 */
export function spawnJvm({ java, args, cwd, logFile }) {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(java, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${java}`);
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * SIGTERM, wait up to graceMs, then SIGKILL and wait again. Resolves once pid is gone;
 * returns how it ended.
 * @param {number} pid
 * @param {number} graceMs
 * @returns {Promise<'exited' | 'killed' | 'not-running'>}
 */
export async function stopProcess(pid, graceMs) {
  if (!signal(pid, 'SIGTERM')) return 'not-running';
  if (await waitForExit(pid, graceMs)) return 'exited';
  signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 10_000)) return 'killed';
  throw new Error(`pid ${pid} is still alive after SIGKILL`);
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
    return true;
  } catch (err) {
    if (err.code === 'ESRCH') return false;
    throw err;
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || /^\S+\s+\(.*\)\s+Z/.test(readStat(pid))) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Polls check() until it returns true; fails early when the process died, and at the
 * deadline. The error includes the end of the process's log.
 * @param {{ check: () => Promise<boolean>, pid: number, markers: string[], timeoutMs: number,
 *   what: string, logFile: string }} opts
 */
export async function waitUntilReady({ check, pid, markers, timeoutMs, what, logFile }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (!isOurProcess(pid, markers)) {
      throw new Error(
        `${what} (pid ${pid}) exited during startup; end of ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not ready after ${timeoutMs} ms; end of ${logFile}:\n${tail(logFile)}`,
      );
    }
    await sleep(250);
  }
}

/**
 * The last lines of a log file, for error messages.
 * @param {string} file
 * @param {number} [lines]
 */
export function tail(file, lines = 20) {
  try {
    const text = readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Runs a command to completion; rejects with its output when it fails.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, timeoutMs: number }} opts
 * @returns {Promise<string>}
 */
export function run(cmd, args, { cwd, timeoutMs }) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const output = `${stdout}${stderr}`.split('\n').slice(-30).join('\n');
          reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${output}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}
