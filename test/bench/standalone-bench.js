// `logpod run` file -> file, the whole standalone path (file input, parse,
// stages, NDJSON file output with its fsync, registry), next to the naive loop
// (naive-loop-child.js) on the same file, interleaved and repeated in one run:
// events/s, CPU µs per event (the child's own CPU, from /proc), peak RSS.
// Variants: naive, run (defaults: enrichment as configured by default),
// run-enrich-off; each may end in @base (the checkout in LOGPOD_BENCH_BASE_ROOT)
// and ~semi<MiB> (see logpod-process.js).
// Usage: node test/bench/standalone-bench.js [--lines N] [--reps N] [--variants a,b,...]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENRICH_OFF, startLogpod, variantProcess } from './logpod-process.js';
import { writeLogFile } from './nginx-log-generator.js';
import { endedChildrenCpuSeconds, memoryMiB } from './proc-stats.js';

const NAIVE_CHILD = fileURLToPath(new URL('./naive-loop-child.js', import.meta.url));

/** The naive loop as its own process; it reports its own figures. */
async function runNaive(file, out) {
  const child = spawn(process.execPath, [NAIVE_CHILD, file, out], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (text += c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the naive loop exited ${code}`);
  return JSON.parse(text);
}

/** `logpod run --once`: file input from the beginning, file output; CPU as the child's, once it ended. */
async function runLogpod({ file, lines, workDir, name, enrich, opts }) {
  const config = {
    data_dir: join(workDir, `${name}-data`),
    inputs: [{ id: 'bench', paths: [file], format: 'main', start_at: 'beginning' }],
    // Not beside the log: the input watches the log's directory (see hot-path.js).
    output: { file: { path: join(workDir, 'out', `${name}.ndjson`) } },
    server: { enabled: false },
    logging: { level: 'warn' },
  };
  if (enrich !== undefined) config.enrich = enrich;
  const cpu0 = endedChildrenCpuSeconds();
  const t0 = process.hrtime.bigint();
  const run = startLogpod('run', config, workDir, name, { ...opts, args: ['--once'] });
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, memoryMiB(run.pid).peak);
    } catch {
      // Ended: the last sample stands.
    }
  };
  const timer = setInterval(sample, 100);
  const code = await run.exited;
  clearInterval(timer);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`logpod run exited ${code}:\n${run.output()}`);
  return { events: lines, seconds, cpuSeconds: endedChildrenCpuSeconds() - cpu0, peakRssMiB: peak };
}

/**
 * Each variant `reps` times, interleaved; returns per variant the runs and, per
 * repetition, events/s and CPU µs per event, and ratios against `variants[0]`.
 */
export async function measureStandalone({ file, lines, reps, variants, workDir, log }) {
  const runs = Object.fromEntries(variants.map((v) => [v, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const variant of variants) {
      const { name, opts } = variantProcess(variant);
      const tag = `${variant.replace(/[@~]/g, '-')}-${rep}`;
      let r;
      if (name === 'naive') r = await runNaive(file, join(workDir, `${tag}.ndjson`));
      else if (name === 'run' || name === 'run-enrich-off') {
        const enrich = name === 'run' ? undefined : ENRICH_OFF;
        r = await runLogpod({ file, lines, workDir, name: tag, enrich, opts });
      } else throw new Error(`unknown variant ${variant}`);
      rmSync(join(workDir, `${tag}.ndjson`), { force: true });
      rmSync(join(workDir, 'out', `${tag}.ndjson`), { force: true });
      const row = {
        eventsPerSec: Math.round(r.events / r.seconds),
        cpuUsPerEvent: +((r.cpuSeconds * 1e6) / r.events).toFixed(2),
        peakRssMiB: Math.round(r.peakRssMiB),
      };
      log(
        `  ${variant} #${rep}: ${row.eventsPerSec} events/s, ${row.cpuUsPerEvent} µs CPU/event, peak ${row.peakRssMiB} MiB`,
      );
      runs[variant].push(row);
    }
  }
  const base = variants[0];
  const out = {};
  for (const v of variants) {
    out[v] = {
      runs: runs[v],
      best: {
        eventsPerSec: Math.max(...runs[v].map((r) => r.eventsPerSec)),
        cpuUsPerEvent: Math.min(...runs[v].map((r) => r.cpuUsPerEvent)),
        peakRssMiB: Math.max(...runs[v].map((r) => r.peakRssMiB)),
      },
      // Per repetition, against the first variant of the same repetition.
      speedRatio: runs[v].map((r, i) => +(r.eventsPerSec / runs[base][i].eventsPerSec).toFixed(2)),
      cpuRatio: runs[v].map((r, i) => +(r.cpuUsPerEvent / runs[base][i].cpuUsPerEvent).toFixed(2)),
    };
  }
  return { base, results: out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: args } = parseArgs({
    options: {
      lines: { type: 'string', default: '300000' },
      reps: { type: 'string', default: '2' },
      variants: { type: 'string', default: 'naive,run-enrich-off,run' },
    },
  });
  const lines = Number(args.lines);
  const workDir = mkdtempSync(join(tmpdir(), 'logpod-standalone-'));
  const log = (m) => process.stderr.write(`${m}\n`);
  try {
    const file = join(workDir, 'access.log');
    writeLogFile(file, lines, { format: 'main' });
    const r = await measureStandalone({
      file,
      lines,
      reps: Number(args.reps),
      variants: args.variants.split(','),
      workDir,
      log,
    });
    process.stdout.write(`${JSON.stringify({ lines, ...r }, null, 1)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
