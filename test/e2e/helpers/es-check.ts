// What Elasticsearch holds for a case, read back independently of logpod:
// documents per request id (a composite aggregation over url.path, so every
// id is counted, none sampled), documents by id for the field spot-check, the
// tagged documents of junk lines, and the dead-letter topic's size.

import { Client } from '@elastic/elasticsearch';
import { elasticsearchUrl } from '../../services/index.js';

export function esClient(): Client {
  return new Client({ node: elasticsearchUrl(), maxRetries: 0, requestTimeout: 30_000 });
}

const lenient = { ignore_unavailable: true, allow_no_indices: true } as const;

/** Documents in `pattern` after a refresh; undefined while Elasticsearch does not answer. */
export async function countDocs(es: Client, pattern: string): Promise<number | undefined> {
  try {
    await es.indices.refresh({ index: pattern, ...lenient });
    return (await es.count({ index: pattern, ...lenient })).count;
  } catch {
    return undefined;
  }
}

/** Documents per url.path, every path (paged through a composite aggregation). */
export async function countsByPath(es: Client, pattern: string): Promise<Map<string, number>> {
  await es.indices.refresh({ index: pattern, ...lenient });
  const counts = new Map<string, number>();
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const r = await es.search({
      index: pattern,
      ...lenient,
      size: 0,
      aggs: {
        ids: {
          composite: {
            size: 10_000,
            sources: [{ path: { terms: { field: 'url.path' } } }],
            ...(after ? { after } : {}),
          },
        },
      },
    });
    const agg = r.aggregations?.ids as
      { buckets: { key: { path: string }; doc_count: number }[]; after_key?: unknown } | undefined;
    const buckets = agg?.buckets ?? [];
    for (const b of buckets) counts.set(b.key.path, b.doc_count);
    if (buckets.length < 10_000 || agg?.after_key === undefined) return counts;
    after = agg.after_key as Record<string, unknown>;
  }
}

/** The _source of the documents whose url.path is one of `paths`. */
export async function docsByPath(
  es: Client,
  pattern: string,
  paths: string[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const r = await es.search<Record<string, unknown>>({
    index: pattern,
    size: paths.length * 2,
    query: { terms: { 'url.path': paths } },
  });
  const out = new Map<string, Record<string, unknown>[]>();
  for (const hit of r.hits.hits) {
    const doc = hit._source!;
    const path = (doc.url as { path?: string } | undefined)?.path ?? '';
    out.set(path, [...(out.get(path) ?? []), doc]);
  }
  return out;
}

/** The _source of every document tagged `tag` (at most `max`). */
export async function docsTagged(
  es: Client,
  pattern: string,
  tag: string,
  max = 200,
): Promise<Record<string, unknown>[]> {
  const r = await es.search<Record<string, unknown>>({
    index: pattern,
    size: max,
    query: { term: { tags: tag } },
  });
  return r.hits.hits.map((h) => h._source!);
}

/** Removes the case's indices and index template; never throws. */
export async function dropCase(es: Client, pattern: string, template: string): Promise<void> {
  await es.indices.delete({ index: pattern, ...lenient }).catch(() => {});
  await es.indices.deleteIndexTemplate({ name: template }).catch(() => {});
}
