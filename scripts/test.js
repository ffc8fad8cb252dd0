#!/usr/bin/env node
// The test command behind `npm test`: unit tests in parallel, then the
// integration and end-to-end tests one file at a time (they stop and start
// shared services), against a real Kafka and Elasticsearch that this script
// starts through test/services and stops again if it started them.
// LOGPOD_TEST_KAFKA / LOGPOD_TEST_ES point the tests at services you run.
// Ends with the line `N passed, N failed`, counted from tap's real results.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { nodeVersionLine } from './node-version.js';
import { countTapResults } from './tap-count.js';

const root = new URL('..', import.meta.url).pathname;
const tapBin = `${root}node_modules/.bin/tap`;
const services = `${root}test/services/services.js`;

function runTap(args) {
  return new Promise((resolve) => {
    // On this script's Node, which tap passes on to every test process.
    const child = spawn(process.execPath, [tapBin, '--reporter=tap', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: root,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The *.test.ts files under a folder (helpers and fixtures beside them are not tests). */
function testFiles(dir) {
  if (!existsSync(`${root}${dir}`)) return [];
  return readdirSync(`${root}${dir}`, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`)
    .sort();
}

function servicesCommand(...args) {
  return (
    spawnSync(process.execPath, [services, ...args], { stdio: 'inherit', cwd: root }).status ?? 1
  );
}

async function main() {
  process.stdout.write(`# ${nodeVersionLine()}\n`);
  const args = process.argv.slice(2);
  const runs = [];
  if (args.length > 0) {
    runs.push(args);
  } else {
    runs.push(testFiles('test/unit'));
    const serial = [...testFiles('test/integration'), ...testFiles('test/e2e')];
    if (serial.length > 0) runs.push(['--jobs=1', ...serial]);
  }
  const external = process.env.LOGPOD_TEST_KAFKA && process.env.LOGPOD_TEST_ES;
  const needsServices = (arg) => arg.startsWith('test/integration') || arg.startsWith('test/e2e');
  const wantServices =
    !external &&
    process.env.LOGPOD_TEST_SERVICES !== 'off' &&
    runs.some((r) => r.some(needsServices));
  let startedHere = false;
  if (wantServices || runs.some((r) => r.some((a) => a.startsWith('test/e2e')))) {
    // java, javac, mvn (services) and nginx (end-to-end): installed from
    // Debian's packages when missing (as root), else the script says what is.
    spawnSync('bash', [`${root}scripts/install-system-deps.sh`], { stdio: 'inherit', cwd: root });
  }
  if (wantServices) {
    const alreadyUp =
      spawnSync(process.execPath, [services, 'status', 'all'], { stdio: 'ignore', cwd: root })
        .status === 0;
    if (!alreadyUp) {
      process.stdout.write('# starting Kafka and Elasticsearch (test/services)\n');
      if (servicesCommand('start', 'all') !== 0)
        process.stdout.write('# services did not start: tests that need them will fail or skip\n');
      else startedHere = true;
    }
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let worst = 0;
  try {
    for (const run of runs) {
      const { code, out } = await runTap(run);
      const counts = countTapResults(out);
      passed += counts.passed;
      skipped += counts.skipped;
      failed += counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0);
      worst = Math.max(worst, code);
    }
  } finally {
    if (startedHere) servicesCommand('stop', 'all');
  }
  process.stdout.write(
    `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  process.exitCode = worst === 0 && failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exitCode = 1;
});
