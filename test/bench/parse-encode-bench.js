// Parse and encode throughput: logpod's file input -> parser -> encoder into a
// sink that only acknowledges, next to three baselines in the same run (a bare
// newline count, a naive regex + JSON.stringify loop with raw strings, and one
// that builds logpod's full event). Each measurement runs in a fresh process,
// variants interleaved, best of N: the machine is shared and noisy.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./parse-encode-child.js', import.meta.url));
export const VARIANTS = ['read', 'naive-bare', 'naive-full', 'logpod'];

function runChild(variant, format, dataDir, paths) {
  rmSync(dataDir, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CHILD, variant, format, dataDir, ...paths],
      { maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${variant} failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      },
    );
  });
}

/** Best (fastest wall) and CPU figures of several runs of one variant. */
function summarize(runs) {
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const bestCpu = runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
  return {
    events: best.events,
    inBytes: best.inBytes,
    outBytes: best.outBytes,
    eventsPerSec: best.events / (best.ms / 1000),
    mibPerSec: best.inBytes / (1 << 20) / (best.ms / 1000),
    cpuSecPerMillion: (bestCpu.cpuMs / 1000) * (1e6 / bestCpu.events),
    runs: runs.map((r) => ({ ms: Math.round(r.ms), cpuMs: Math.round(r.cpuMs) })),
  };
}

/**
 * Runs every variant `reps` times on `path` (interleaved) and returns their
 * summaries keyed by variant. `variants` limits which run.
 */
export async function measureParseEncode({
  path,
  format,
  reps,
  workDir,
  log,
  variants = VARIANTS,
}) {
  const runs = Object.fromEntries(variants.map((v) => [v, []]));
  for (let r = 0; r < reps; r++) {
    for (const v of variants) {
      const result = await runChild(v, format, join(workDir, 'pe-data'), [path]);
      runs[v].push(result);
      log(
        `  ${format} ${v} #${r + 1}: ${Math.round(result.ms)} ms, cpu ${Math.round(result.cpuMs)} ms`,
      );
    }
  }
  return Object.fromEntries(variants.map((v) => [v, summarize(runs[v])]));
}

/** logpod on one file and on the same bytes spread over many files of one glob, interleaved. */
export async function measureManyFiles({ single, manyGlob, reps, workDir, log }) {
  const one = [];
  const many = [];
  for (let r = 0; r < reps; r++) {
    one.push(await runChild('logpod', 'main', join(workDir, 'mf-one'), [single]));
    many.push(await runChild('logpod', 'main', join(workDir, 'mf-many'), [manyGlob]));
    log(
      `  one file ${Math.round(one[r].ms)} ms (cpu ${Math.round(one[r].cpuMs)}), ` +
        `many files ${Math.round(many[r].ms)} ms (cpu ${Math.round(many[r].cpuMs)})`,
    );
  }
  return { single: summarize(one), many: summarize(many) };
}
