// A data stream creates documents in its newest backing index only, so after a
// rollover the 409 of op_type create cannot see a copy in an older one: a
// replayed event (crash, rebalance, offsets reset) would be indexed twice. After
// each bulk, the guard looks the ids just created (or answered 409: a copy left
// by a crash between create and clean-up) up in the older backing indices that
// could hold them, with a realtime _mget, and deletes the newer copy of each one
// found there. Only indices still written to at the event's @timestamp (minus a
// clock-skew margin) can hold it, so fresh events of a stream that rolled over
// long ago cost no lookup.

import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../../logger.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../../support/backoff.js';

/** How far an event's @timestamp may be ahead of Elasticsearch's clock. */
export const CLOCK_SKEW_MS = 15 * 60_000;

/** Lookups per _mget request. */
const MGET_CHUNK = 1000;

export interface BackingIndex {
  name: string;
  /** index.creation_date, ms. */
  created: number;
}

/** A document the bulk just created (or found, 409) in `backing`, the write index of `stream`. */
export interface WrittenDoc {
  /** Its position in the bulk. */
  pos: number;
  id: string;
  stream: string;
  backing: string;
  /** The event's @timestamp as written (undefined or unparsable: every older index is checked). */
  timestamp: unknown;
}

/**
 * The older backing indices that can hold a document of `timestampMs` when `write` is the
 * stream's write index: those still written to at timestampMs - CLOCK_SKEW_MS or later.
 * `indices` are the stream's, oldest first.
 */
export function candidateIndices(
  indices: readonly BackingIndex[],
  write: string,
  timestampMs: number,
): string[] {
  const at = indices.findIndex((i) => i.name === write);
  const out: string[] = [];
  for (let k = 0; k < at; k++) {
    // Index k took writes until the next one was created.
    if (Number.isNaN(timestampMs) || indices[k + 1].created > timestampMs - CLOCK_SKEW_MS) {
      out.push(indices[k].name);
    }
  }
  return out;
}

/** GET <stream>/_settings/index.creation_date read into backing indices, oldest first. */
export function parseBackingIndices(body: unknown): BackingIndex[] {
  const out: BackingIndex[] = [];
  if (body === null || typeof body !== 'object') return out;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const raw = (value as { settings?: { index?: { creation_date?: unknown } } } | null)?.settings
      ?.index?.creation_date;
    const created = Number(raw);
    if (Number.isFinite(created)) out.push({ name, created });
  }
  return out.sort((a, b) => a.created - b.created || (a.name < b.name ? -1 : 1));
}

export class RolloverGuard {
  /** Backing indices per data stream, oldest first; refreshed when a write lands elsewhere. */
  private readonly streams = new Map<string, BackingIndex[]>();

  constructor(
    private readonly client: Client,
    private readonly backoff: BackoffPolicy,
    private readonly logger: Logger,
  ) {}

  /**
   * Checks `written` against the older backing indices; deletes the newer copy of each
   * document already there. Resolves with the positions of those copies; retries
   * Elasticsearch errors with backoff and rejects only when `signal` aborts.
   */
  async check(written: readonly WrittenDoc[], signal?: AbortSignal): Promise<number[]> {
    const lookups: { doc: WrittenDoc; index: string }[] = [];
    const refreshed = new Set<string>();
    for (const doc of written) {
      let indices = this.streams.get(doc.stream);
      const stale = indices === undefined || indices[indices.length - 1]?.name !== doc.backing;
      if (stale && !refreshed.has(doc.stream)) {
        refreshed.add(doc.stream);
        indices = await this.retrying(() => this.backingIndices(doc.stream), signal);
        this.streams.set(doc.stream, indices);
      }
      if (indices === undefined || indices.length < 2) continue;
      const ms = typeof doc.timestamp === 'string' ? Date.parse(doc.timestamp) : NaN;
      for (const index of candidateIndices(indices, doc.backing, ms)) lookups.push({ doc, index });
    }
    if (lookups.length === 0) return [];
    const found = new Map<number, WrittenDoc>();
    for (let from = 0; from < lookups.length; from += MGET_CHUNK) {
      const chunk = lookups.slice(from, from + MGET_CHUNK);
      const response = await this.retrying(
        () =>
          this.client.mget(
            {
              docs: chunk.map((l) => ({ _index: l.index, _id: l.doc.id, _source: false })),
              realtime: true,
            },
            { signal },
          ),
        signal,
      );
      response.docs.forEach((d, k) => {
        if ((d as { found?: boolean }).found === true) found.set(chunk[k].doc.pos, chunk[k].doc);
      });
    }
    if (found.size === 0) return [];
    const copies = [...found.values()];
    await this.retrying(() => this.deleteCopies(copies, signal), signal);
    this.logger.info(
      { documents: copies.length, streams: [...new Set(copies.map((c) => c.stream))] },
      'replayed events already in an older backing index of the data stream: newer copies deleted',
    );
    return [...found.keys()];
  }

  private async backingIndices(stream: string): Promise<BackingIndex[]> {
    const body = await this.client.transport.request({
      method: 'GET',
      path: `/${encodeURIComponent(stream)}/_settings/index.creation_date`,
      querystring: { expand_wildcards: 'open,hidden' },
    });
    return parseBackingIndices(body);
  }

  /** Deletes each copy from the backing index it was created in; 404 (already gone) is fine. */
  private async deleteCopies(copies: WrittenDoc[], signal?: AbortSignal): Promise<void> {
    const operations = copies.map((c) => ({ delete: { _index: c.backing, _id: c.id } }));
    const response = await this.client.bulk({ operations, refresh: false }, { signal });
    for (const item of response.items) {
      const status = item.delete?.status ?? 500;
      if (status >= 300 && status !== 404) {
        throw new Error(`deleting a replayed copy answered ${status}`);
      }
    }
  }

  private async retrying<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return await fn();
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (attempt === 0) {
          this.logger.warn({ err }, 'rollover check failed; retrying with backoff');
        }
        await sleep(backoffDelay(attempt, this.backoff), signal);
      }
    }
  }
}
