#!/usr/bin/env node
// The test command behind `npm test`: runs node-tap over test/, prints its TAP
// output, and ends with the line `N passed, N failed` counted from the real
// results (one count per test, a crashed file counting as a failure).
// Services the integration tests need are started by test/services and
// stopped again here; LOGPOD_TEST_KAFKA / LOGPOD_TEST_ES point at your own.
import { spawn } from 'node:child_process';
import { countTapResults } from './tap-count.js';

const args = process.argv.slice(2);
const tapBin = new URL('../node_modules/.bin/tap', import.meta.url).pathname;

async function main() {
  const child = spawn(tapBin, ['--reporter=tap', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    out += chunk;
    process.stdout.write(chunk);
  });
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const { passed, failed, skipped } = countTapResults(out);
  const failedTotal = failed + (code !== 0 && failed === 0 ? 1 : 0);
  process.stdout.write(
    `\n${passed} passed, ${failedTotal} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  process.exitCode = code === 0 && failedTotal === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exitCode = 1;
});
