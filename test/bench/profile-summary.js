// Where a `node --cpu-prof` profile spends its time: self time per function
// (top N) and grouped by what it is (garbage collection, JSON.stringify, file
// reads, parsing, the pipeline, Kafka, ...), as shares of the busy time (idle
// left out). Usage: node test/bench/profile-summary.js FILE.cpuprofile [--top N]

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Group of one profile node, by function name and script. First match wins. */
const GROUPS = [
  ['GC', (f) => f === '(garbage collector)'],
  ['JSON.stringify', (f) => f === 'stringify'],
  ['file reads', (f, u) => /read/i.test(f) && (u === '' || u.startsWith('node:'))],
  ['parse (src/parse)', (_, u) => u.includes('/parse/')],
  ['file input (src/sources/file)', (_, u) => u.includes('/sources/file/')],
  ['events step (cli/file-events)', (_, u) => u.includes('/cli/file-events')],
  [
    'encode / outputs (src/sinks, pipeline/encode)',
    (_, u) => u.includes('/sinks/') || u.includes('/pipeline/encode'),
  ],
  ['pipeline (src/pipeline)', (_, u) => u.includes('/pipeline/')],
  ['enrichment (src/enrich)', (_, u) => u.includes('/enrich/')],
  ['dashboard (src/dashboard)', (_, u) => u.includes('/dashboard/')],
  ['kafkajs', (_, u) => u.includes('kafkajs')],
  ['compression (zlib, lz4)', (f, u) => /zlib|lz4|zstd|gzip|deflate/i.test(u + f)],
  ['Node internals', (_, u) => u.startsWith('node:')],
  ['native / V8 (no script)', (_, u) => u === ''],
  ['other scripts', () => true],
];

export function summarize(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // Time between samples: each sample is charged to its node.
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const fns = new Map();
  const groups = new Map();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const f = node.callFrame.functionName || '(anonymous)';
    const u = node.callFrame.url;
    if (f === '(idle)') continue;
    busy += us;
    const key = `${f} ${u.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const group = GROUPS.find(([, test]) => test(f, u))[0];
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  const share = (us) => +((100 * us) / busy).toFixed(1);
  return {
    busyMs: Math.round(busy / 1000),
    groups: [...groups]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, percent: share(us) })),
    top: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, percent: share(us) })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  });
  const s = summarize(JSON.parse(readFileSync(positionals[0], 'utf8')), Number(values.top));
  process.stdout.write(`busy ${s.busyMs} ms\n\ngroups:\n`);
  for (const g of s.groups)
    process.stdout.write(`  ${String(g.percent).padStart(5)}%  ${g.name}\n`);
  process.stdout.write('\ntop self time:\n');
  for (const t of s.top) process.stdout.write(`  ${String(t.percent).padStart(5)}%  ${t.fn}\n`);
}
