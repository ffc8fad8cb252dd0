// Runs the real `logpod` command (bin/logpod.js over the compiled dist/) as a
// subprocess: what a user types, with stdin, exit code and both streams.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LOGPOD_BIN = fileURLToPath(new URL('../../bin/logpod.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: {
    stdin?: string | Buffer;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** Run as this user (the test must be root), e.g. to meet a permission denied. */
    uid?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOGPOD_BIN, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

export interface RunningCli {
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output contains `text`; rejects after `ms`. */
  waitFor(text: string, ms?: number): Promise<void>;
  signal(sig: NodeJS.Signals): void;
  /** Resolves with the exit code and how long after `since` the process ended; kills it after `ms`. */
  exit(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts `logpod` in the background, for tests that signal it while it runs. */
export function startCli(args: string[], opts: { cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [LOGPOD_BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (c: string) => {
    out += c;
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    output: () => out,
    waitFor: async (text, ms = 30_000) => {
      const until = Date.now() + ms;
      while (!out.includes(text)) {
        if (Date.now() > until || child.exitCode !== null) {
          throw new Error(`no "${text}" in the output:\n${out}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    signal: (sig) => child.kill(sig),
    exit: async (ms) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
