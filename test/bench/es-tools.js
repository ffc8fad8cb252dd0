// What the benchmark asks of Elasticsearch: the bare _bulk loader that the
// writer is compared with (logpod's own client options, batch size and
// requests in flight, op_type create with an _id, the same index template),
// document counts, and clean-up of the indices and templates a run made.

import { performance } from 'node:perf_hooks';
import { Client } from '@elastic/elasticsearch';
import { clientOptions } from '../../dist/sinks/elasticsearch/client.js';
import { installTemplate } from '../../dist/sinks/elasticsearch/template.js';

/** A client built the way the writer builds its own. */
export function esClient(url) {
  return new Client(
    clientOptions({ hosts: [url], request_timeout: 60_000, tls: { reject_unauthorized: true } }),
  );
}

/** Installs logpod's index template for `pattern` (what the writer does at start). */
export async function installBenchTemplate(client, name, pattern, refreshIntervalMs) {
  await installTemplate(client, {
    name,
    pattern,
    kind: 'index',
    priority: 200,
    shards: 1,
    replicas: 0,
    refreshIntervalMs,
  });
}

/**
 * Searchable documents in indices matching `pattern`: 0 before the first one
 * exists or while its shard is still being allocated (503).
 */
export async function countDocs(client, pattern) {
  try {
    const r = await client.count({
      index: pattern,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return r.count;
  } catch (err) {
    if (err?.meta?.statusCode === 503) return 0;
    throw err;
  }
}

/**
 * The baseline: `total` documents (cycling through `sources`, already JSON,
 * each with its own _id) into `index` with _bulk create, `batch` a request,
 * `inFlight` requests at once. Returns { docs, seconds, errors }.
 */
export async function bareBulkLoad({ client, index, sources, total, batch, inFlight }) {
  let next = 0;
  let errors = 0;
  const started = performance.now();
  async function lane() {
    while (next < total) {
      const from = next;
      const to = Math.min(total, from + batch);
      next = to;
      const operations = [];
      for (let i = from; i < to; i++) {
        operations.push(`{"create":{"_index":"${index}","_id":"bare-${i}"}}`);
        operations.push(sources[i % sources.length]);
      }
      const r = await client.bulk({ operations });
      if (r.errors) errors += r.items.filter((it) => it.create?.error !== undefined).length;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { docs: total, seconds: (performance.now() - started) / 1000, errors };
}

/** Deletes the indices and index templates whose names contain `bench-<runId>-` (a run's own). */
export async function removeBenchIndices(client, runId) {
  const mark = `bench-${runId}-`;
  const indices = await client.cat.indices({ index: `${mark}*`, format: 'json', h: 'index' });
  const names = indices.map((i) => i.index);
  if (names.length > 0) {
    await client.indices.delete({ index: names.join(','), ignore_unavailable: true });
  }
  const { index_templates: templates } = await client.indices.getIndexTemplate({
    name: `*${mark}*`,
  });
  for (const { name } of templates) await client.indices.deleteIndexTemplate({ name });
}
