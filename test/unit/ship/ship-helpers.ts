// Shared by the shipping checks: where the shipped files are, reading them
// (YAML with merge keys, as Docker Compose reads it), free ports, HTTP probes
// and long-running subprocesses that are always stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import type { Test } from 'tap';
import { REPO_ROOT } from '../../helpers/cli.js';

export { REPO_ROOT };

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readText(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/** One YAML document, `<<` merge keys resolved (Compose files use them). */
export function readYaml(...parts: string[]): unknown {
  return parse(readText(...parts), { merge: true });
}

/** Every document of a multi-document YAML file (Kubernetes manifests). */
export function readYamlDocuments(...parts: string[]): Record<string, unknown>[] {
  return parseAllDocuments(readText(...parts)).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as Record<string, unknown>;
  });
}

export function packageVersion(): string {
  return (JSON.parse(readText('package.json')) as { version: string }).version;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A port nothing listens on: connections to it are refused at once. */
export const closedPort = freePort;

export function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Polls `url` until it answers `status`; false after `timeoutMs`. */
export async function waitForStatus(url: string, status: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await httpStatus(url)) === status) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process ended. */
  exited: Promise<number | string>;
}

/** Starts a process whose output is kept; it is killed at teardown if still running. */
export function start(
  t: Test,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Running {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | string>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => out, exited };
}
