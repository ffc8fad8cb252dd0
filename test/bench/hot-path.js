// A profile of the standalone hot path: `logpod run --once` file -> file on a
// generated log under `node --cpu-prof`, then where the time went
// (profile-summary.js). Enrichment off unless --enrich, so the pipeline's own
// cost shows. Usage: node test/bench/hot-path.js [--lines N] [--enrich] [--keep DIR]
// (LOGPOD_BENCH_BASE_ROOT with --base profiles the other checkout.)

import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENRICH_OFF, startLogpod } from './logpod-process.js';
import { writeLogFile } from './nginx-log-generator.js';
import { summarize } from './profile-summary.js';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '300000' },
    enrich: { type: 'boolean', default: false },
    base: { type: 'boolean', default: false },
    keep: { type: 'string' },
  },
});
const lines = Number(args.lines);
const workDir = mkdtempSync(join(tmpdir(), 'logpod-hot-path-'));
const profDir = args.keep ?? join(workDir, 'profile');
mkdirSync(profDir, { recursive: true });
try {
  // The log in a directory of its own, as nginx's: the input watches the log's
  // directory, and an output file written beside it would make every write a
  // directory event to handle (a cost of the bench's layout, not of the path).
  mkdirSync(join(workDir, 'logs'));
  const file = join(workDir, 'logs', 'access.log');
  writeLogFile(file, lines, { format: 'main' });
  const config = {
    data_dir: join(workDir, 'data'),
    inputs: [{ id: 'bench', paths: [file], format: 'main', start_at: 'beginning' }],
    output: { file: { path: join(workDir, 'out', 'events.ndjson') } },
    server: { enabled: false },
    logging: { level: 'warn' },
  };
  if (!args.enrich) config.enrich = ENRICH_OFF;
  const root = args.base ? process.env.LOGPOD_BENCH_BASE_ROOT : undefined;
  if (args.base && !root) throw new Error('--base: set LOGPOD_BENCH_BASE_ROOT');
  const run = startLogpod('run', config, workDir, 'hot-path', {
    root,
    args: ['--once'],
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profDir],
  });
  const code = await run.exited;
  if (code !== 0) throw new Error(`logpod run exited ${code}:\n${run.output()}`);
  const name = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const s = summarize(JSON.parse(readFileSync(join(profDir, name), 'utf8')), 30);
  process.stdout.write(
    `${lines} lines, busy ${s.busyMs} ms (${((s.busyMs * 1000) / lines).toFixed(2)} µs an event, profiler on)\n\ngroups:\n`,
  );
  for (const g of s.groups)
    process.stdout.write(`  ${String(g.percent).padStart(5)}%  ${g.name}\n`);
  process.stdout.write('\ntop self time:\n');
  for (const t of s.top) process.stdout.write(`  ${String(t.percent).padStart(5)}%  ${t.fn}\n`);
  if (args.keep) process.stdout.write(`\nprofile kept in ${profDir}/${name}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
