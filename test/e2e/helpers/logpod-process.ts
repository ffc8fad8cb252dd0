// `logpod agent` and `logpod writer` as real processes (bin/logpod.js over
// dist/), each from a config file: start, SIGKILL, SIGTERM, restart. Output of
// every run is kept (bounded) for assertions and for the failure report; an
// exit the test did not cause is recorded so a case can fail fast and say why.

import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';

const MAX_LOG_CHARS = 4 * 1024 * 1024;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;
}

export class LogpodProcess {
  private child: ChildProcess | undefined;
  private closed: Promise<void> = Promise.resolve();
  private output = '';
  private expecting = false;
  readonly exits: Exit[] = [];
  starts = 0;

  constructor(
    readonly role: 'agent' | 'writer',
    readonly configPath: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  get running(): boolean {
    const c = this.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child!.pid : undefined;
  }

  /** Everything every run printed (logs are pino JSON lines), most recent last. */
  get logs(): string {
    return this.output;
  }

  /** Exits the test did not ask for (a crash, a fatal error). */
  get unexpectedExits(): Exit[] {
    return this.exits.filter((e) => !e.expected);
  }

  start(): void {
    if (this.running) throw new Error(`${this.role} is already running`);
    this.starts++;
    this.expecting = false;
    this.output += `--- start #${this.starts} ---\n`;
    const child = spawn(process.execPath, [LOGPOD_BIN, this.role, '--config', this.configPath], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOGPOD_LOG_LEVEL: 'info', ...this.env },
    });
    this.child = child;
    const append = (chunk: string) => {
      this.output += chunk;
      if (this.output.length > MAX_LOG_CHARS) this.output = this.output.slice(-MAX_LOG_CHARS / 2);
    };
    child.stdout!.setEncoding('utf8').on('data', append);
    child.stderr!.setEncoding('utf8').on('data', append);
    this.closed = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        this.exits.push({ code, signal, expected: this.expecting });
        resolve();
      }),
    );
  }

  /** Resolves when a log line of this run contains `text`. */
  async waitForLog(text: string, timeoutMs = 60_000): Promise<void> {
    const from = this.output.lastIndexOf(`--- start #${this.starts} ---`);
    const until = Date.now() + timeoutMs;
    while (!this.output.includes(text, from)) {
      if (!this.running) throw new Error(`${this.role} exited before logging "${text}"`);
      if (Date.now() > until) throw new Error(`${this.role} did not log "${text}"`);
      await sleep(50);
    }
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. Returns the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 30_000): Promise<Exit | undefined> {
    if (!this.running) return undefined;
    this.expecting = true;
    const child = this.child!;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.closed;
    clearTimeout(timer);
    return this.exits[this.exits.length - 1];
  }
}
