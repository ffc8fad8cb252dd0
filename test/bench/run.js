#!/usr/bin/env node
// `npm run bench`: logpod's throughput, latency and memory, each next to a
// baseline measured in the same run, printed as a table and written to
// test/bench/results.json. Uses the compiled dist/ (build first) and the test
// services (started here if not running, and then stopped again).
// Usage: node test/bench/run.js [--quick] [--only parse,standalone,files,kafka,writer,latency,outage] [--out FILE]

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './logpod-process.js';

const SECTIONS = ['parse', 'standalone', 'files', 'kafka', 'writer', 'latency', 'outage'];
const SERVICE_SECTIONS = ['kafka', 'writer', 'latency', 'outage'];
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: join(REPO_ROOT, 'test', 'bench', 'results.json') },
  },
});
const only = args.only ? args.only.split(',').map((s) => s.trim()) : SECTIONS;
for (const s of only) {
  if (!SECTIONS.includes(s))
    throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
}
if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('dist/ is missing: run `npm run build` first (npm run bench does)\n');
  process.exit(2);
}

const quick = args.quick;
const plan = {
  mode: quick ? 'quick' : 'full',
  lines: quick ? 200_000 : 2_000_000,
  reps: quick ? 2 : 3,
  codecs: quick ? ['zstd', 'gzip'] : ['zstd', 'gzip', 'lz4'],
  // zstd (the default) is measured over the whole file; other codecs over its first part.
  otherCodecEvents: quick ? 200_000 : 500_000,
  bareProducerEvents: quick ? 100_000 : 500_000,
  writerDocs: quick ? 50_000 : 500_000,
  manyFiles: 1000,
  latencyS: quick ? 10 : 60,
  floorS: quick ? 6 : 20,
  rate: 2000,
  outageBeforeS: quick ? 10 : 20,
  outageS: quick ? 20 : 120,
  baselinePool: 20_000,
};

const t0 = Date.now();
const log = (line) =>
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

// Modules that reach Kafka or Elasticsearch are loaded only when a section needs them.
const { createLogGenerator, writeLogFile } = await import('./nginx-log-generator.js');
const { measureManyFiles, measureParseEncode } = await import('./parse-encode-bench.js');
const { measureStandalone } = await import('./standalone-bench.js');
const { buildRows, markdownTable } = await import('./report.js');
const { machineInfo } = await import('./proc-stats.js');

/**
 * Runs one part of the benchmark when selected; a failure is logged and kept in
 * the results, and the other parts still run (a long run keeps what it measured).
 */
async function section(name, fn, selected = only.includes(name)) {
  if (!selected) return;
  try {
    await fn();
  } catch (err) {
    log(`${name} failed: ${err.stack ?? err}`);
    results.failures.push({ section: name, error: String(err.message ?? err) });
  }
}

/** The results as the repository's prettier would write them (so format checks pass). */
async function formatJson(value, path) {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text;
  }
}

const runId = randomBytes(3).toString('hex');
const workDir = mkdtempSync(join(tmpdir(), 'logpod-bench-'));
const results = {
  date: new Date().toISOString(),
  mode: plan.mode,
  runId,
  machine: {
    cpus: cpus().length,
    ...machineInfo(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((l) => +l.toFixed(2)),
  },
  note:
    'Shared machine: other work (test suites of other developers) ran at the same time. ' +
    'Rates are best-of-N wall clock; CPU figures are less sensitive to that noise.',
  plan,
  failures: [],
};

const servicesJs = join(REPO_ROOT, 'test', 'services', 'services.js');
const services = (cmd) =>
  spawnSync(process.execPath, [servicesJs, cmd, 'all'], { stdio: ['ignore', 'inherit', 'inherit'] })
    .status;
const needServices = only.some((s) => SERVICE_SECTIONS.includes(s));
let startedServices = false;

function generate() {
  const main = join(workDir, 'access-main.log');
  const combined = join(workDir, 'access-combined.log');
  const bytes = writeLogFile(main, plan.lines, { format: 'main' });
  results.input = { lines: plan.lines, bytes, bytesPerLine: bytes / plan.lines };
  log(
    `generated ${plan.lines} lines (${(bytes / 2 ** 20).toFixed(0)} MiB, ${(bytes / plan.lines).toFixed(0)} bytes a line)`,
  );
  if (only.includes('parse')) writeLogFile(combined, plan.lines, { format: 'combined' });
  return { main, combined };
}

/** The same lines as `main`, cut into `n` files of one directory. */
function splitIntoFiles(n) {
  const dir = join(workDir, 'many');
  mkdirSync(dir);
  const gen = createLogGenerator({ format: 'main' });
  const per = Math.floor(plan.lines / n);
  let bytes = 0;
  for (let f = 0; f < n; f++) {
    let text = '';
    for (let i = 0; i < per; i++) text += gen.next() + '\n';
    writeFileSync(join(dir, `access-${String(f).padStart(4, '0')}.log`), text);
    bytes += Buffer.byteLength(text);
  }
  return { glob: join(dir, '*.log'), lines: per * n, bytes };
}

async function main() {
  log(`logpod bench, ${plan.mode} mode, run ${runId}, work dir ${workDir}`);
  const files = generate();

  await section('parse', async () => {
    log('parse and encode (file input -> parser -> encoder -> null output)');
    results.parseEncode = {};
    for (const format of ['main', 'combined']) {
      results.parseEncode[format] = await measureParseEncode({
        path: files[format],
        format,
        reps: plan.reps,
        workDir,
        log,
      });
    }
  });

  await section('standalone', async () => {
    log('logpod run file -> file next to the naive loop (readline + one regex + JSON.stringify)');
    results.standalone = await measureStandalone({
      file: files.main,
      lines: plan.lines,
      reps: plan.reps,
      variants: ['naive', 'run-enrich-off', 'run'],
      workDir,
      log,
    });
  });

  await section('files', async () => {
    const many = splitIntoFiles(plan.manyFiles);
    const singleLines = join(workDir, 'access-single.log');
    writeLogFile(singleLines, many.lines, { format: 'main' });
    log(`${plan.manyFiles} files in one glob vs one file, ${many.lines} lines each way`);
    const r = await measureManyFiles({
      single: singleLines,
      manyGlob: many.glob,
      reps: plan.reps,
      workDir,
      log,
    });
    results.manyFiles = { files: plan.manyFiles, ...r };
  });

  if (needServices) {
    if (services('status') !== 0) {
      log('starting the test services (Kafka, Elasticsearch)');
      if (services('start') !== 0) throw new Error('the test services did not start');
      startedServices = true;
    }
    await withServices(files);
  }
}

async function withServices(files) {
  const harness = await import('../services/harness.js');
  const { runAgentToKafka, runBareProducer } = await import('./kafka-bench.js');
  const { runBareLoader, runWriter } = await import('./writer-bench.js');
  const { runLatency, runLatencyFloor } = await import('./latency-bench.js');
  const { runOutage } = await import('./outage-bench.js');
  const { esClient, removeBenchIndices } = await import('./es-tools.js');
  const { sampleEvents, sampleEnrichedEvents } = await import('./event-sample.js');
  const { startLogpod, agentConfig, ENRICH_IN_AGENT } = await import('./logpod-process.js');
  const { memoryMiB } = await import('./proc-stats.js');
  const { openAdmin } = await import('./kafka-tools.js');

  const brokers = harness.kafkaBrokers();
  const esUrl = harness.elasticsearchUrl();
  const es = esClient(esUrl);
  const pool = sampleEvents(files.main, plan.baselinePool);
  results.memory = {};
  try {
    await section('kafka', async () => {
      log('agent -> Kafka, each codec next to a bare kafkajs producer');
      results.kafka = {};
      for (const codec of plan.codecs) {
        const lines = codec === 'zstd' ? plan.lines : Math.min(plan.lines, plan.otherCodecEvents);
        const agent = await runAgentToKafka({
          brokers,
          file: files.main,
          lines,
          compression: codec,
          workDir,
          runId,
          log,
        });
        const total = Math.min(plan.lines, plan.bareProducerEvents);
        // The same events packed the same way (64KiB NDJSON records, the agent's
        // default), so the ratio is the agent's cost over kafkajs' own.
        const bare = await runBareProducer({
          brokers,
          values: pool,
          total,
          compression: codec,
          runId,
          log,
          recordBytes: 64 * 1024,
        });
        results.kafka[codec] = { agent, bare };
      }
      results.memory.fullSpeedPeakMiB = Math.max(
        ...Object.values(results.kafka).map((k) => k.agent.peakRssMiB),
      );
      // The agent's defaults leave GeoIP and user agents to the writer; the same with both
      // in the agent shows what that saves in CPU and memory.
      const lines = Math.min(plan.lines, plan.otherCodecEvents);
      const enriching = await runAgentToKafka({
        brokers,
        file: files.main,
        lines,
        compression: 'zstd',
        workDir,
        runId,
        log,
        enrich: ENRICH_IN_AGENT,
        name: 'zstd-enrich-in-agent',
      });
      results.kafka['zstd, enrich in agent'] = { agent: enriching, bare: results.kafka.zstd.bare };
      results.memory.fullSpeedEnrichInAgentPeakMiB = enriching.peakRssMiB;
      // One record per event (packing: none), what packing saves.
      const single = await runAgentToKafka({
        brokers,
        file: files.main,
        lines,
        compression: 'zstd',
        workDir,
        runId,
        log,
        kafka: { packing: 'none' },
        name: 'zstd-one-per-record',
      });
      const bareSingle = await runBareProducer({
        brokers,
        values: pool,
        total: Math.min(lines, plan.bareProducerEvents),
        compression: 'zstd',
        runId,
        log,
      });
      results.kafka['zstd, one event per record'] = { agent: single, bare: bareSingle };
    });

    await section(
      'idle agent',
      async () => {
        log('idle agent (an empty file): the memory baseline');
        const idleFile = join(workDir, 'idle.log');
        writeFileSync(idleFile, '');
        await harness.createTopic(`bench-${runId}-idle`, 1);
        const idle = startLogpod(
          'agent',
          agentConfig({
            dataDir: join(workDir, 'idle'),
            paths: [idleFile],
            brokers,
            topic: `bench-${runId}-idle`,
          }),
          workDir,
          'idle-agent',
        );
        // The runtime's own floor, same moment: a Node process that does nothing.
        const bareNode = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
          stdio: 'ignore',
        });
        try {
          await new Promise((r) => setTimeout(r, 4000));
          results.memory.idleRssMiB = memoryMiB(idle.pid).rss;
          results.memory.nodeRssMiB = memoryMiB(bareNode.pid).rss;
        } finally {
          bareNode.kill();
          await idle.stop();
        }
      },
      true,
    );

    await section('writer', async () => {
      log(`writer -> Elasticsearch next to a bare _bulk loader, ${plan.writerDocs} documents`);
      const input = await runBareProducer({
        brokers,
        values: pool,
        total: plan.writerDocs,
        compression: 'gzip',
        runId,
        log,
        name: 'writer-input',
      });
      const logpod = await runWriter({
        brokers,
        esUrl,
        es,
        topic: input.topic,
        total: plan.writerDocs,
        workDir,
        runId,
        log,
      });
      // The bare loader sends the documents the writer indexes: already enriched.
      const enriched = await sampleEnrichedEvents(files.main, plan.baselinePool);
      const bare = await runBareLoader({
        es,
        sources: enriched,
        total: plan.writerDocs,
        runId,
        log,
      });
      results.writer = { logpod, bare };
    });

    await section('latency', async () => {
      log(`latency at ${plan.rate} lines/s through agent, Kafka and writer (refresh 1 s)`);
      const pipeline = await runLatency({
        brokers,
        esUrl,
        es,
        workDir,
        runId,
        seconds: plan.latencyS,
        rate: plan.rate,
        log,
      });
      const floor = await runLatencyFloor({
        es,
        runId,
        seconds: plan.floorS,
        rate: plan.rate,
        log,
      });
      results.latency = { rate: plan.rate, pipeline, floor };
      results.memory.steadyMaxMiB = pipeline.agentRssMiB.max;
    });

    await section('outage', async () => {
      if (process.env.LOGPOD_TEST_KAFKA) {
        log('outage skipped: LOGPOD_TEST_KAFKA names a broker this bench cannot stop');
      } else {
        log(`Kafka outage of ${plan.outageS} s under ${plan.rate} lines/s`);
        const o = await runOutage({
          brokers,
          workDir,
          runId,
          rate: plan.rate,
          beforeS: plan.outageBeforeS,
          outageS: plan.outageS,
          log,
        });
        results.outage = { outageS: plan.outageS, ...o };
      }
    });
  } finally {
    log('cleaning up topics and indices of this run');
    await removeBenchIndices(es, runId).catch((err) =>
      log(`  index clean-up failed: ${err.message}`),
    );
    try {
      const admin = await openAdmin(brokers);
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(`bench-${runId}-`));
      await admin.disconnect();
      for (const topic of mine) await harness.deleteTopic(topic).catch(() => undefined);
    } catch (err) {
      log(`  topic clean-up failed: ${err.message}`);
    }
    await es.close();
  }
}

try {
  await main();
} catch (err) {
  log(`the benchmark stopped: ${err.stack ?? err}`);
  results.failures.push({ section: 'setup', error: String(err.message ?? err) });
} finally {
  if (startedServices) {
    log('stopping the test services this run started');
    services('stop');
  }
  rmSync(workDir, { recursive: true, force: true });
}

results.machine.loadAverageAtEnd = loadavg().map((l) => +l.toFixed(2));
results.durationS = Math.round((Date.now() - t0) / 1000);
const rows = buildRows(results);
results.table = rows;
writeFileSync(args.out, await formatJson(results, args.out));
const m = results.machine;
process.stdout.write(
  `\nlogpod bench (${plan.mode}), ${results.date.slice(0, 10)}: ${m.cpus} cores (${m.model}), ` +
    `Node ${m.node}, load average ${m.loadAverageAtStart[0]} at start, ${m.loadAverageAtEnd[0]} at end\n\n` +
    markdownTable(rows) +
    `\n\nresults: ${args.out} (${results.durationS} s)\n`,
);
for (const f of results.failures) process.stdout.write(`FAILED: ${f.section}: ${f.error}\n`);
if (results.failures.length > 0) process.exitCode = 1;
