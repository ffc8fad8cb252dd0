// Agent to Kafka: `logpod agent` (a child process) reads a pre-generated file
// from the beginning into a fresh topic of the real broker (acks=all,
// idempotent, the chosen compression) until Kafka acknowledged every line (the
// agent's /metrics). Throughput and CPU count from the first acknowledged
// event to the last (start-up excluded); CPU from /proc/<pid>/stat, RSS sampled every second. The baseline
// is kafkajs alone sending the same encoded events with the same settings.

import { join } from 'node:path';
import { createTopic } from '../services/harness.js';
import { agentConfig, startLogpod } from './logpod-process.js';
import { agentEventsAcked, bareProduce, freePort, waitForCount } from './kafka-tools.js';
import { cpuSeconds, memoryMiB, startRssSampler } from './proc-stats.js';

const BATCH_BYTES = 1 << 20;

/**
 * One agent run on `file`, measured until the topic holds `lines` messages (the
 * file may hold more); returns throughput, CPU, memory and the RSS samples.
 */
export async function runAgentToKafka({
  brokers,
  file,
  lines,
  compression,
  workDir,
  runId,
  log,
  enrich,
  kafka,
  name = compression,
  process: processOpts,
}) {
  const topic = `bench-${runId}-agent-${name}`;
  await createTopic(topic, 1);
  const dataDir = join(workDir, `agent-${name}`);
  // Counted from the agent's /metrics: a topic of packed records holds fewer messages than events.
  const listen = `127.0.0.1:${await freePort()}`;
  const agent = startLogpod(
    'agent',
    agentConfig({ dataDir, paths: [file], brokers, topic, compression, enrich, kafka, listen }),
    workDir,
    `agent-${name}`,
    processOpts,
  );
  const rss = startRssSampler(agent.pid, 1000);
  const cpuAt = new Map();
  try {
    const acked = () => agentEventsAcked(listen).catch(() => 0);
    const timing = await waitForCount(acked, lines, {
      intervalMs: 100,
      timeoutMs: 30 * 60_000,
      onPoll: (now) => {
        try {
          cpuAt.set(now, cpuSeconds(agent.pid));
        } catch {
          throw new Error(`the agent exited early:\n${agent.output()}`);
        }
      },
    });
    const peak = memoryMiB(agent.pid).peak;
    const seconds = (timing.doneAt - timing.firstAt) / 1000;
    const events = lines - timing.firstCount;
    const cpu = cpuAt.get(timing.doneAt) - cpuAt.get(timing.firstAt);
    const result = {
      topic,
      events,
      seconds,
      eventsPerSec: events / seconds,
      cpuSeconds: cpu,
      cpuSecPerMillion: cpu * (1e6 / events),
      cores: cpu / seconds,
      peakRssMiB: peak,
      rssSamples: rss.stop().map((s) => Math.round(s.rss)),
    };
    log(
      `  agent ${name}: ${Math.round(result.eventsPerSec)} events/s, ` +
        `${result.cores.toFixed(2)} cores, peak RSS ${peak.toFixed(0)} MiB`,
    );
    return result;
  } finally {
    rss.stop();
    await agent.stop();
  }
}

/**
 * The bare kafkajs producer on the same events and settings; returns events/s.
 * Given a `name`, the topic is named after it and event ids are unique (writer input).
 */
export async function runBareProducer({
  brokers,
  values,
  total,
  compression,
  runId,
  log,
  name,
  recordBytes,
}) {
  const topic = `bench-${runId}-${name ?? `bare-${compression}`}`;
  await createTopic(topic, 1);
  const r = await bareProduce({
    brokers,
    topic,
    values,
    key: 'bench-source',
    total,
    compression,
    batchBytes: BATCH_BYTES,
    uniqueIds: name !== undefined,
    recordBytes,
  });
  const result = {
    topic,
    events: r.events,
    seconds: r.seconds,
    eventsPerSec: r.events / r.seconds,
  };
  log(
    `  bare kafkajs ${compression}${recordBytes === undefined ? '' : `, packed ${recordBytes} B`}: ${Math.round(result.eventsPerSec)} events/s`,
  );
  return result;
}
