// Memory through a Kafka outage under load: the agent ships lines appended at
// a steady rate, the broker is stopped for a while and started again. The
// agent's RSS is sampled every second before, during and after; reading must
// pause (memory flat) and every line must arrive once Kafka is back.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, startKafka, stopKafka } from '../services/harness.js';
import { startAppender } from './appender.js';
import { agentConfig, startLogpod } from './logpod-process.js';
import { agentEventsAcked, freePort, waitForCount } from './kafka-tools.js';
import { startRssSampler } from './proc-stats.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the broker again, retrying: while it was down, clients retrying against
 * a port in the ephemeral range can briefly hold that very port (a TCP
 * self-connect), and the broker then fails to bind; a few seconds later it is free.
 */
async function restartKafka(log) {
  for (let attempt = 1; ; attempt++) {
    try {
      await startKafka();
      return;
    } catch (err) {
      if (attempt === 4) throw err;
      log(`  Kafka did not start (${err.message.split('\n')[0]}); retrying`);
      await sleep(5000);
    }
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runOutage({ brokers, workDir, runId, rate, beforeS, outageS, log }) {
  const topic = `bench-${runId}-outage`;
  await createTopic(topic, 1);
  const file = join(workDir, 'outage-access.log');
  writeFileSync(file, '');
  // Events counted from the agent's /metrics: packed records make messages fewer than events.
  const listen = `127.0.0.1:${await freePort()}`;
  const agent = startLogpod(
    'agent',
    agentConfig({ dataDir: join(workDir, 'outage-agent'), paths: [file], brokers, topic, listen }),
    workDir,
    'outage-agent',
  );
  const rss = startRssSampler(agent.pid, 1000);
  const appender = startAppender(file, rate, 11);
  let kafkaDown = false;
  try {
    rss.mark('before');
    await sleep(beforeS * 1000);
    log(`  stopping Kafka for ${outageS} s`);
    await stopKafka();
    kafkaDown = true;
    rss.mark('outage');
    await sleep(outageS * 1000);
    await restartKafka(log);
    kafkaDown = false;
    rss.mark('recovery');
    const lines = appender.stop();
    const recoveredFrom = Date.now();
    await waitForCount(() => agentEventsAcked(listen).catch(() => 0), lines, {
      intervalMs: 500,
      timeoutMs: 300_000,
    });
    const catchUpS = (Date.now() - recoveredFrom) / 1000;
    const samples = rss.stop();
    const of = (label) => samples.filter((s) => s.label === label).map((s) => s.rss);
    // The first seconds are start-up: the steady level is the median of the later ones.
    const before = median(of('before').slice(Math.floor(of('before').length / 3)));
    const outage = of('outage');
    const result = {
      lines,
      delivered: true,
      catchUpS,
      rssBeforeMiB: before,
      rssOutageMaxMiB: Math.max(...outage),
      rssRecoveryMaxMiB: Math.max(...of('recovery')),
      growth: Math.max(...outage) / before - 1,
      samples: samples.map((s) => [s.label, Math.round(s.rss)]),
    };
    log(
      `  outage: RSS ${before.toFixed(0)} MiB before, max ${result.rssOutageMaxMiB.toFixed(0)} MiB ` +
        `during; all ${lines} lines delivered ${catchUpS.toFixed(1)} s after Kafka came back`,
    );
    return result;
  } finally {
    appender.stop();
    rss.stop();
    // The agent first: its reconnects could hold the broker's port (see restartKafka).
    await agent.stop();
    if (kafkaDown) await restartKafka(log);
  }
}
