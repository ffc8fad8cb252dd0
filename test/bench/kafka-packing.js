// Agent -> Kafka with packed records against one record per event, the record
// size, and the codecs, measured in the same run, interleaved and repeated so
// the ratios hold on a shared, noisy machine. Needs the test services running.
// Usage: node test/bench/kafka-packing.js [--lines N] [--reps N] [--variants a,b,...]
// Variants: none, 64k, 128k, 256k (gzip 3), lz4, zstd (packed, 128 KiB), or
// any name of the form <codec>-<KiB>k / <codec>-none, each optionally followed
// by @base (the checkout in LOGPOD_BENCH_BASE_ROOT: before/after a change) and
// ~semi<MiB> (V8's --max-semi-space-size). Enrichment off, so the output's
// share of the CPU shows.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kafkaBrokers } from '../services/harness.js';
import { runAgentToKafka } from './kafka-bench.js';
import { ENRICH_OFF, variantProcess } from './logpod-process.js';
import { writeLogFile } from './nginx-log-generator.js';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '150000' },
    reps: { type: 'string', default: '2' },
    variants: { type: 'string', default: 'gzip-none,gzip-128k' },
  },
});
const lines = Number(args.lines);
const reps = Number(args.reps);
const variants = args.variants.split(',');

function settings(variant) {
  const [codec, size] = variant.split('-');
  const kafka =
    size === 'none' ? { packing: 'none' } : { record_max_bytes: `${parseInt(size, 10)}KiB` };
  return { codec, kafka };
}

const workDir = mkdtempSync(join(tmpdir(), 'logpod-packing-'));
const runId = Date.now().toString(36);
const log = (m) => process.stderr.write(`${m}\n`);
const file = join(workDir, 'access.log');
writeLogFile(file, lines, { format: 'main' });
const results = Object.fromEntries(variants.map((v) => [v, []]));
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const variant of variants) {
      const { name, opts } = variantProcess(variant);
      const { codec, kafka } = settings(name);
      const r = await runAgentToKafka({
        brokers: kafkaBrokers(),
        file,
        lines,
        compression: codec,
        workDir,
        runId: `${runId}-${rep}`,
        log,
        enrich: ENRICH_OFF,
        kafka,
        name: `${variant.replace(/[@~]/g, '-')}-${rep}`,
        process: opts,
      });
      results[variant].push({
        eventsPerSec: Math.round(r.eventsPerSec),
        cpuUsPerEvent: +r.cpuSecPerMillion.toFixed(2),
        peakRssMiB: Math.round(r.peakRssMiB),
      });
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
const base = variants[0];
const out = {};
for (const v of variants) {
  const runs = results[v];
  out[v] = {
    runs,
    // Per repetition, against the first variant of the same repetition.
    speedRatio: runs.map((r, i) => +(r.eventsPerSec / results[base][i].eventsPerSec).toFixed(2)),
    cpuRatio: runs.map((r, i) => +(r.cpuUsPerEvent / results[base][i].cpuUsPerEvent).toFixed(2)),
  };
}
process.stdout.write(`${JSON.stringify({ lines, reps, base, results: out }, null, 1)}\n`);
