// Writer to Elasticsearch: `logpod writer` (a child process) consumes a topic
// already filled by the agent and indexes it; documents/s count from its first
// commit to the commit of the last message (group join and template install
// excluded). The baseline is a bare _bulk loader with the same client options,
// batch size and requests in flight, into the same Elasticsearch, same run.

import { join } from 'node:path';
import { startLogpod, writerConfig } from './logpod-process.js';
import { committed, openAdmin, waitForCount } from './kafka-tools.js';
import { bareBulkLoad, countDocs, installBenchTemplate } from './es-tools.js';
import { cpuSeconds } from './proc-stats.js';

/** logpod's defaults for output.elasticsearch: 1000 documents a request, 2 in flight. */
export const BULK_BATCH = 1000;
export const BULK_IN_FLIGHT = 2;

export async function runWriter({ brokers, esUrl, es, topic, total, workDir, runId, log }) {
  const group = `bench-${runId}-writer`;
  const prefix = `bench-${runId}-w`;
  const admin = await openAdmin(brokers);
  const writer = startLogpod(
    'writer',
    writerConfig({
      dataDir: join(workDir, 'writer'),
      brokers,
      topic,
      group,
      esUrl,
      index: `${prefix}-{{dataset}}-%Y.%m.%d`,
      refresh: '5s',
    }),
    workDir,
    'writer',
  );
  const cpuAt = new Map();
  try {
    const timing = await waitForCount(() => committed(admin, group, topic), total, {
      intervalMs: 200,
      timeoutMs: 30 * 60_000,
      onPoll: (now) => {
        try {
          cpuAt.set(now, cpuSeconds(writer.pid));
        } catch {
          throw new Error(`the writer exited early:\n${writer.output()}`);
        }
      },
    });
    const seconds = (timing.doneAt - timing.firstAt) / 1000;
    const docs = total - timing.firstCount;
    const cpu = cpuAt.get(timing.doneAt) - cpuAt.get(timing.firstAt);
    await es.indices.refresh({ index: `${prefix}-*` });
    const indexed = await countDocs(es, `${prefix}-*`);
    const result = {
      docs,
      seconds,
      docsPerSec: docs / seconds,
      cpuSecPerMillion: cpu * (1e6 / docs),
      indexed,
    };
    log(`  writer: ${Math.round(result.docsPerSec)} docs/s (${indexed} of ${total} indexed)`);
    return result;
  } finally {
    await writer.stop();
    await admin.disconnect();
  }
}

export async function runBareLoader({ es, sources, total, runId, log }) {
  const prefix = `bench-${runId}-b`;
  await installBenchTemplate(es, `${prefix}-template`, `${prefix}-*`, 5000);
  const r = await bareBulkLoad({
    client: es,
    index: `${prefix}-nginx.access`,
    sources,
    total,
    batch: BULK_BATCH,
    inFlight: BULK_IN_FLIGHT,
  });
  const result = {
    docs: r.docs,
    seconds: r.seconds,
    docsPerSec: r.docs / r.seconds,
    errors: r.errors,
  };
  log(`  bare _bulk: ${Math.round(result.docsPerSec)} docs/s (${r.errors} item errors)`);
  return result;
}
