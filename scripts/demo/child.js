// A child process of the demo: its own process group (so Ctrl-C in the terminal
// reaches the demo only, which then stops the children in order), output to a log
// file, an exit the demo hears about, and a stop that escalates to SIGKILL.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export class Child {
  /**
   * @param {string} name  what the demo calls it in messages
   * @param {string} logFile  where its stdout and stderr go
   */
  constructor(name, logFile) {
    this.name = name;
    this.logFile = logFile;
    this.stopping = false;
    this.exit = undefined;
  }

  /** Spawns; `onUnexpectedExit(child)` runs if it ends before stop() was asked. */
  start(command, args, { env, cwd, onUnexpectedExit }) {
    const fd = openSync(this.logFile, 'a');
    try {
      this.process = spawn(command, args, {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise((resolve) => {
      this.process.on('error', (err) => {
        this.exit = { code: null, signal: null, error: err };
        resolve(this.exit);
      });
      this.process.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    void this.exited.then(() => {
      if (!this.stopping) onUnexpectedExit?.(this);
    });
    return this;
  }

  get pid() {
    return this.process?.pid;
  }

  get running() {
    return this.process !== undefined && this.exit === undefined;
  }

  /** How it ended, in words. */
  describeExit() {
    const e = this.exit;
    if (!e) return 'is running';
    if (e.error) return `could not start (${e.error.message})`;
    return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  }

  /** Sends `signal`, waits up to graceMs, then SIGKILLs the process group. */
  async stop(signal = 'SIGTERM', graceMs = 20_000) {
    this.stopping = true;
    if (!this.running) return this.exit;
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
    const ended = await Promise.race([this.exited, sleep(graceMs).then(() => undefined)]);
    if (ended) return ended;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    return this.exited;
  }
}

/** Polls `check` until it returns true; throws `what` after timeoutMs, or once `failed()` says why. */
export async function waitUntil(what, check, { timeoutMs, failed }) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed?.();
    if (reason) throw new Error(reason);
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** True when GET url answers 2xx. */
export async function answers(url) {
  const r = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  await r.arrayBuffer();
  return r.ok;
}
