// End-to-end latency: a line appended to the file until its document is
// searchable, through `logpod agent`, Kafka and `logpod writer` (indices with
// refresh_interval 1s), at a steady rate. The count of searchable documents is
// polled every 50 ms; one file is one partition, read and indexed in order, so
// line i is searchable once the count passes i. The baseline is the floor set
// by Elasticsearch alone: documents bulk-indexed the moment they are "written".
// The agent's RSS is sampled every second: memory at a steady rate.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic } from '../services/harness.js';
import { startAppender } from './appender.js';
import { countDocs, installBenchTemplate } from './es-tools.js';
import { createLogGenerator } from './nginx-log-generator.js';
import { agentConfig, startLogpod, writerConfig } from './logpod-process.js';
import { readTimestamps } from './kafka-tools.js';
import { startRssSampler } from './proc-stats.js';

const POLL_MS = 50;
const WARMUP_LINES = 200;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Polls `count()` until it reaches `base + total` after `appender` stopped; returns latencies (ms). */
async function trackVisibility(count, base, appender, seconds) {
  const visibleAt = [];
  const until = Date.now() + seconds * 1000;
  let stoppedAt = 0;
  for (;;) {
    const c = (await count()) - base;
    const now = Date.now();
    while (visibleAt.length < Math.min(c, appender.count)) visibleAt.push(now);
    if (stoppedAt === 0 && now >= until) {
      appender.stop();
      stoppedAt = now;
    }
    if (stoppedAt !== 0 && visibleAt.length >= appender.count) break;
    if (stoppedAt !== 0 && now - stoppedAt > 120_000) {
      throw new Error(
        `only ${visibleAt.length} of ${appender.count} lines searchable 2 min after the last`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return {
    ...summary(visibleAt.map((t, i) => t - appender.writtenAt[i])),
    rate: visibleAt.length / seconds,
  };
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    lines: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1],
  };
}

async function waitFor(what, check, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The pipeline's latency and the agent's memory at `rate` lines/s for `seconds`. */
export async function runLatency({ brokers, esUrl, es, workDir, runId, seconds, rate, log }) {
  const topic = `bench-${runId}-latency`;
  const prefix = `bench-${runId}-l`;
  await createTopic(topic, 1);
  const file = join(workDir, 'latency-access.log');
  const gen = createLogGenerator({ seed: 3, format: 'main' });
  let warm = '';
  for (let i = 0; i < WARMUP_LINES; i++) warm += gen.nextAt(Date.now()) + '\n';
  writeFileSync(file, warm);
  const agent = startLogpod(
    'agent',
    agentConfig({ dataDir: join(workDir, 'latency-agent'), paths: [file], brokers, topic }),
    workDir,
    'latency-agent',
  );
  const writer = startLogpod(
    'writer',
    writerConfig({
      dataDir: join(workDir, 'latency-writer'),
      brokers,
      topic,
      group: `bench-${runId}-latency`,
      esUrl,
      index: `${prefix}-{{dataset}}-%Y.%m.%d`,
      refresh: '1s',
    }),
    workDir,
    'latency-writer',
  );
  const count = () => countDocs(es, `${prefix}-*`);
  try {
    await waitFor(
      'the warm-up lines to be searchable',
      async () => (await count()) >= WARMUP_LINES,
      180_000,
    );
    const rss = startRssSampler(agent.pid, 1000);
    const appender = startAppender(file, rate);
    const result = await trackVisibility(count, WARMUP_LINES, appender, seconds);
    const samples = rss.stop().map((s) => s.rss);
    result.agentRssMiB = { max: Math.max(...samples), samples: samples.map(Math.round) };
    // Where the time goes: line written -> in Kafka (the agent's part; producer timestamps).
    const stamps = await readTimestamps(brokers, topic, WARMUP_LINES + result.lines);
    const inKafka = summary(stamps.slice(WARMUP_LINES).map((t, i) => t - appender.writtenAt[i]));
    result.agentPart = { p50Ms: inKafka.p50Ms, p99Ms: inKafka.p99Ms, maxMs: inKafka.maxMs };
    log(
      `  pipeline: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms over ${result.lines} lines ` +
        `(in Kafka: p50 ${inKafka.p50Ms} ms, p99 ${inKafka.p99Ms} ms); ` +
        `agent RSS max ${result.agentRssMiB.max.toFixed(0)} MiB`,
    );
    return result;
  } finally {
    await Promise.all([agent.stop(), writer.stop()]);
  }
}

/** The floor: each tick's lines bulk-indexed at once into Elasticsearch with the same refresh. */
export async function runLatencyFloor({ es, runId, seconds, rate, log }) {
  const prefix = `bench-${runId}-lb`;
  const index = `${prefix}-nginx.access`;
  await installBenchTemplate(es, `${prefix}-template`, `${prefix}-*`, 1000);
  const sent = [];
  let stopped = false;
  let failure;
  let n = 0;
  const started = Date.now();
  // Stands in for the appender: the same rate, each due batch indexed the moment it is due.
  const appender = {
    writtenAt: sent,
    get count() {
      return sent.length;
    },
    stop() {
      stopped = true;
    },
  };
  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate) - n;
      if (due > 0) {
        const at = Date.now();
        const operations = [];
        for (let i = 0; i < due; i++, n++) {
          operations.push(`{"create":{"_index":"${index}","_id":"floor-${n}"}}`);
          operations.push(`{"@timestamp":"${new Date(at).toISOString()}","seq":${n}}`);
        }
        await es.bulk({ operations });
        for (let i = 0; i < due; i++) sent.push(at);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })().catch((err) => (failure = err));
  const result = await trackVisibility(() => countDocs(es, `${prefix}-*`), 0, appender, seconds);
  await loop;
  if (failure) throw failure;
  log(`  Elasticsearch alone: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
  return result;
}
