// The naive standalone loop `logpod run` file -> file is compared with: what a
// first attempt in Node does. readline over the file, one regex a line
// (naive-parsers.js, raw strings), JSON.stringify, written to a file.
// Prints {events, seconds, cpuSeconds, peakRssMiB} as JSON. Baseline only.
// Usage: node test/bench/naive-loop-child.js IN OUT

import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { naiveBare } from './naive-parsers.js';

const [input, output] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const out = createWriteStream(output);
const lines = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
let events = 0;
for await (const line of lines) {
  if (!out.write(JSON.stringify(naiveBare(line)) + '\n')) await once(out, 'drain');
  events++;
}
out.end();
await once(out, 'finish');
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    events,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
