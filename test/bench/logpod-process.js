// Runs `logpod agent` and `logpod writer` as child processes from a config
// written to the bench's work dir, as a user would run them; keeps the tail of
// their output for a failure report and stops them with SIGTERM (SIGKILL after
// a grace period) so no child outlives the benchmark.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEEP_OUTPUT_CHARS = 8000;

/** Children still running: killed if the benchmark itself exits early, so none is orphaned. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * The checkout a variant runs: this one, or with `@base` the one named by
 * LOGPOD_BENCH_BASE_ROOT (a build of another commit, for before/after runs).
 * `~semi4` runs it with NODE_OPTIONS=--max-semi-space-size=4 (V8's young generation).
 */
export function variantProcess(variant) {
  let rest = variant;
  const opts = {};
  const semi = /~semi(\d+)$/.exec(rest);
  if (semi) {
    opts.nodeOptions = `--max-semi-space-size=${semi[1]}`;
    rest = rest.slice(0, semi.index);
  }
  if (rest.endsWith('@base')) {
    const root = process.env.LOGPOD_BENCH_BASE_ROOT;
    if (!root) throw new Error(`${variant}: set LOGPOD_BENCH_BASE_ROOT to the other checkout`);
    opts.root = root;
    rest = rest.slice(0, -'@base'.length);
  }
  return { name: rest, opts };
}

/**
 * Writes `config` (a plain object; JSON is valid YAML) and starts `logpod <command> --config`;
 * `opts.root` runs another checkout's build, `opts.nodeOptions` sets NODE_OPTIONS,
 * `opts.nodeArgs` adds arguments for node itself (--cpu-prof), `opts.args` for logpod (--once).
 */
export function startLogpod(command, config, dir, name, opts = {}) {
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const root = opts.root ?? REPO_ROOT;
  const bin = join(root, 'bin', 'logpod.js');
  const env = { ...process.env, LOGPOD_LOG_LEVEL: process.env.LOGPOD_BENCH_LOG_LEVEL ?? 'warn' };
  if (opts.nodeOptions !== undefined) env.NODE_OPTIONS = opts.nodeOptions;
  const args = [
    ...(opts.nodeArgs ?? []),
    bin,
    command,
    '--config',
    configPath,
    ...(opts.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  const keep = (chunk) => {
    output += chunk;
    if (output.length > 2 * KEEP_OUTPUT_CHARS) output = output.slice(-KEEP_OUTPUT_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  running.add(child);
  const exited = new Promise((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    pid: child.pid,
    exited,
    output: () => output.slice(-KEEP_OUTPUT_CHARS),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** GeoIP and user agent in the agent, as before they moved to the writer: what that costs it. */
export const ENRICH_IN_AGENT = {
  geoip: { enabled: true },
  user_agent: { enabled: true },
};

/** Every enrichment off: what the agent costs without GeoIP, user agent and Kubernetes. */
export const ENRICH_OFF = {
  geoip: { enabled: false },
  user_agent: { enabled: false },
  kubernetes: { enabled: false },
};

/**
 * The agent's config: one file input read from the beginning, Kafka out, no
 * probe server unless `listen` is given (its /metrics counts events, where a
 * topic of packed records counts records); enrichment as by default unless
 * `enrich` is given; `kafka` adds output options (packing, record_max_bytes).
 */
export function agentConfig({
  dataDir,
  paths,
  brokers,
  topic,
  compression = 'zstd',
  format = 'main',
  enrich,
  listen,
  kafka = {},
}) {
  const config = {
    data_dir: dataDir,
    inputs: [{ id: 'bench', paths, format, start_at: 'beginning' }],
    output: { kafka: { brokers: brokers.split(','), topic, compression, ...kafka } },
    server: listen === undefined ? { enabled: false } : { enabled: true, listen },
    logging: { level: 'warn' },
  };
  if (enrich !== undefined) config.enrich = enrich;
  return config;
}

/**
 * The writer's config: a consumer group on `topic`, dated indices in Elasticsearch
 * (the benchmark deletes them afterwards, which data streams would not allow here).
 */
export function writerConfig({ dataDir, brokers, topic, group, esUrl, index, refresh }) {
  return {
    data_dir: dataDir,
    writer: { kafka: { brokers: brokers.split(','), topic, group_id: group } },
    output: {
      elasticsearch: {
        hosts: [esUrl],
        index,
        template: { replicas: 0, refresh_interval: refresh },
      },
    },
    server: { enabled: false },
    logging: { level: 'warn' },
  };
}
