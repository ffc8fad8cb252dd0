// What the benchmark asks of Kafka: how many messages a topic holds, how far a
// consumer group has committed, and the bare-producer baseline (kafkajs with
// the agent's settings: idempotent, acks=all, one request in flight, 1 MiB
// requests) that the agent's throughput is compared with.

import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import '../../dist/topic/kafka-codecs.js';
import { KAFKA_COMPRESSION } from '../../dist/sinks/kafka/client-options.js';

const { Kafka, logLevel } = kafkajs;
/** How event.id starts in the sampled events (see event-sample.js). */
const ID_PREFIX = '"id":"bench-sample-';

export function kafkaClient(brokers, clientId = 'logpod-bench') {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** An admin client kept open for polling; close it with disconnect(). */
export async function openAdmin(brokers) {
  const admin = kafkaClient(brokers, 'logpod-bench-admin').admin();
  await admin.connect();
  return admin;
}

/** Messages in `topic`: the sum of its partitions' high watermarks (fresh topics start at 0). */
export async function topicSize(admin, topic) {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** A loopback port nothing listens on now, for an agent's probe server. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Events an agent's output has had acknowledged, from its /metrics: with packed
 * records, a topic's message count is not its event count.
 */
export async function agentEventsAcked(listen) {
  const response = await fetch(`http://${listen}/metrics`);
  const text = await response.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('logpod_events_acked_total'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Messages of `topic` that `group` has committed (a partition never committed counts 0). */
export async function committed(admin, group, topic) {
  const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/**
 * The broker timestamps (ms; set when the producer sent them) of the first
 * `count` events of a one-partition topic, in order (a packed record's timestamp
 * counts once per event it holds).
 */
export async function readTimestamps(brokers, topic, count, timeoutMs = 120_000) {
  const consumer = kafkaClient(brokers, 'logpod-bench-reader').consumer({
    groupId: `logpod-bench-reader-${Date.now()}`,
  });
  const stamps = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${stamps.length} of ${count} timestamps`)),
        timeoutMs,
      );
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              // A packed record carries many events: each was in Kafka at its timestamp.
              const events = Number(m.headers?.['logpod-events']?.toString() ?? 1);
              for (let i = 0; i < events && stamps.length < count; i++)
                stamps.push(Number(m.timestamp));
            }
            if (stamps.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return stamps;
}

/**
 * Calls `read()` every `intervalMs` until it returns at least `target`. Returns
 * when the count first moved above its start (`firstAt`, `firstCount`) and when
 * it reached the target (`doneAt`), for a rate that excludes start-up.
 * `onPoll(now)` runs on every poll (CPU samples).
 */
export async function waitForCount(read, target, { intervalMs = 200, timeoutMs, onPoll } = {}) {
  const start = Date.now();
  const initial = await read();
  let firstAt;
  let firstCount;
  for (;;) {
    const now = Date.now();
    const count = await read();
    onPoll?.(now, count);
    if (firstAt === undefined && count > initial) {
      firstAt = now;
      firstCount = count;
    }
    if (count >= target)
      return { firstAt: firstAt ?? now, firstCount: firstCount ?? count, doneAt: now, count };
    if (timeoutMs !== undefined && now - start > timeoutMs) {
      throw new Error(
        `timed out: ${count} of ${target} after ${Math.round((now - start) / 1000)} s`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The baseline: kafkajs alone sends `total` messages, cycling through `values`
 * (already encoded), in requests of about `batchBytes`, one at a time, with the
 * agent's producer settings. With `uniqueIds`, each message's event.id is made
 * unique (the values then serve as the writer's input). Returns events/s.
 */
export async function bareProduce({
  brokers,
  topic,
  values,
  key,
  total,
  compression,
  batchBytes,
  uniqueIds = false,
  recordBytes,
}) {
  const producer = kafkaClient(brokers, 'logpod-bench-bare').producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const messages = [];
      let events = 0;
      let bytes = 0;
      // Packed as the agent packs: events one a line, records up to recordBytes.
      let lines = [];
      let lineBytes = 0;
      const flush = () => {
        if (lines.length === 0) return;
        messages.push({
          key,
          value: lines.join(''),
          headers: {
            'content-type': 'application/x-ndjson',
            'logpod-events': String(lines.length),
          },
        });
        lines = [];
        lineBytes = 0;
      };
      while (sent + events < total && bytes < batchBytes) {
        const n = sent + events;
        const value = uniqueIds
          ? values[n % values.length].replace(ID_PREFIX, `"id":"bench-${n}-`)
          : values[n % values.length];
        if (recordBytes === undefined) {
          messages.push({ key, value });
        } else {
          if (lineBytes + value.length + 1 > recordBytes) flush();
          lines.push(`${value}\n`);
          lineBytes += value.length + 1;
        }
        events += 1;
        bytes += value.length;
      }
      flush();
      await producer.send({
        topic,
        messages,
        acks: -1,
        compression: KAFKA_COMPRESSION[compression],
      });
      sent += events;
    }
    return { events: sent, seconds: (performance.now() - started) / 1000 };
  } finally {
    await producer.disconnect();
  }
}
