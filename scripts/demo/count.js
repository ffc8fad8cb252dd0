// The fault tour's proof, read independently of logpod: every line of nginx's
// access log (by its byte offset in the file) against the documents in
// Elasticsearch (by log.file.path and log.offset, every one counted through a
// composite aggregation). Written = lines nginx logged; indexed = lines found;
// duplicates = documents beyond one per line; lost = lines not found.
import { open } from 'node:fs/promises';

/** Byte offsets of the complete lines of `file`, read in chunks (memory stays flat per line). */
export async function lineOffsets(file) {
  const fh = await open(file, 'r');
  const offsets = [];
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  let lineStart = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(10, 0); i !== -1 && i < bytesRead; i = buf.indexOf(10, i + 1)) {
        offsets.push(lineStart);
        lineStart = pos + i + 1;
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return offsets;
}

async function es(url, path, body) {
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!r.ok) throw new Error(`Elasticsearch ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

/** Documents per log.offset of `file` in `pattern` (after a refresh). */
export async function docsPerOffset(esUrl, pattern, file) {
  const q = 'ignore_unavailable=true&allow_no_indices=true';
  await es(esUrl, `/${pattern}/_refresh?${q}`);
  const counts = new Map();
  let after;
  for (;;) {
    const r = await es(esUrl, `/${pattern}/_search?${q}`, {
      size: 0,
      query: { term: { 'log.file.path': file } },
      aggs: {
        lines: {
          composite: {
            size: 10_000,
            sources: [{ offset: { terms: { field: 'log.offset' } } }],
            ...(after ? { after } : {}),
          },
        },
      },
    });
    const agg = r.aggregations?.lines;
    for (const b of agg?.buckets ?? []) counts.set(Number(b.key.offset), b.doc_count);
    if ((agg?.buckets?.length ?? 0) < 10_000 || !agg?.after_key) return counts;
    after = agg.after_key;
  }
}

/** The tour's counts for `file`. */
export async function countLines(esUrl, pattern, file) {
  const offsets = await lineOffsets(file);
  const docs = await docsPerOffset(esUrl, pattern, file);
  let indexed = 0;
  let duplicates = 0;
  for (const off of offsets) {
    const n = docs.get(off) ?? 0;
    if (n > 0) indexed++;
    duplicates += Math.max(0, n - 1);
  }
  const known = new Set(offsets);
  const unknown = [...docs.keys()].filter((off) => !known.has(off)).length;
  return {
    written: offsets.length,
    indexed,
    duplicates,
    lost: offsets.length - indexed,
    unknown,
  };
}
