// Shared by the CLI tests that run `logpod agent` / `logpod writer` against a Kafka that
// refuses them: the process with its config file, its probe server's address, the
// probes and /status read over HTTP, and the events a topic holds (packed or not).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { stringify } from 'yaml';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import { waitFor as waitUntil } from '../writer/helpers.js';

export interface LogpodProcess {
  child: ChildProcess;
  /** http://host:port of the probe server. */
  base: Promise<string>;
  logs(): string;
  exited: Promise<{ code: number | null; at: number }>;
}

export const accessLine = (n: number) =>
  `203.0.113.${n % 250} - - [28/Nov/2026:10:00:00 +0000] "GET /n/${n} HTTP/1.1" 200 ${n} "-" "loadgen" "-"\n`;

/** Runs `logpod <command> --config <dir>/<command>.yaml` with `raw` as the config. */
export function startLogpod(
  command: 'agent' | 'writer',
  dir: string,
  raw: Record<string, unknown>,
): LogpodProcess {
  const config = join(dir, `${command}-${Date.now()}.yaml`);
  writeFileSync(config, stringify(raw));
  const child = spawn(process.execPath, [LOGPOD_BIN, command, '--config', config], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info' },
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, at: Date.now() })),
  );
  const base = new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /"address":"([^"]+)","msg":"probe server listening"/.exec(out);
      if (m) return resolve(`http://${m[1]}`);
      if (child.exitCode !== null) return reject(new Error(`exited before listening:\n${out}`));
      setTimeout(look, 100);
    };
    look();
  });
  return { child, base, logs: () => out, exited };
}

export async function httpStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return 0;
  }
}

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return (await res.json()) as Record<string, unknown>;
}

/** The writer tests' waitFor, with room for a TLS broker and two processes starting. */
export const waitFor = (
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 90_000,
): Promise<void> => waitUntil(what, check, timeoutMs);

/** The paths (url.path) of every event in `topic`, read from the beginning until `count` came. */
export async function topicPaths(
  brokers: string,
  topic: string,
  count: number,
  timeoutMs = 90_000,
): Promise<string[]> {
  const kafka = new kafkajs.Kafka({
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `reader-${process.pid}-${Date.now()}` });
  const paths: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        for (const line of value.split('\n')) {
          if (line !== '') paths.push((JSON.parse(line) as { url: { path: string } }).url.path);
        }
      },
    });
    await waitFor(`${count} events in ${topic}`, () => paths.length >= count, timeoutMs);
    // Anything beyond `count` (a repeat) would arrive right behind.
    await new Promise((r) => setTimeout(r, 1_000));
  } finally {
    await consumer.disconnect();
  }
  return paths;
}
