// The writer's dashboard numbers, read from Elasticsearch: one _search per refresh on the
// writer's target (size 0, date_histogram / range / terms / top_hits aggregations), the
// answer shared for 2 s by every viewer. Elasticsearch down is an error in the document.

import type { Client } from '@elastic/elasticsearch';
import {
  STATUS_CLASSES,
  emptyByClass,
  type CityRow,
  type CountryRow,
  type DashboardSnapshot,
  type ErrorEntry,
  type StatusClass,
} from './snapshot.js';
import { TAG_BOT } from './event-fields.js';

/** Runs a search body against `index`; the real one is clientSearch(client). */
export type SearchFn = (index: string, body: object, timeoutMs: number) => Promise<unknown>;

export interface ElasticsearchDashboardOptions {
  search: SearchFn;
  /** Index pattern of the writer's target (indexPattern of its data stream or index). */
  index: string;
  /** Time series span (default 900) and step (default 5) in seconds. */
  windowSeconds?: number;
  stepSeconds?: number;
  /** Span of the top tables and bots (default 300). */
  topWindowSeconds?: number;
  /** Rows per table (default 10); recent 5xx kept (default 50). */
  topRows?: number;
  recentErrors?: number;
  /** One answer serves every request for this long (default 2000). */
  cacheMs?: number;
  /** A search slower than this is an error (default 1500: under the probe server's 2 s). */
  timeoutMs?: number;
  now?: () => number;
}

/** The span req/s is averaged over: documents reach the index a few seconds late. */
const RPS_SECONDS = 60;
const ERROR_RATE_SECONDS = 60;
const MAX_URL = 1000;

const CLASS_RANGES = STATUS_CLASSES.slice(0, 5).map((key, i) => ({
  key,
  from: (i + 1) * 100,
  to: (i + 2) * 100,
}));

const BOT_QUERY = {
  bool: {
    should: [{ term: { tags: TAG_BOT } }, { term: { 'user_agent.device.name': 'Spider' } }],
    minimum_should_match: 1,
  },
};

export function clientSearch(client: Client): SearchFn {
  return (index, body, timeoutMs) =>
    client.transport.request(
      {
        method: 'POST',
        path: `/${encodeURIComponent(index)}/_search`,
        querystring: { ignore_unavailable: true, allow_no_indices: true },
        body: body as Record<string, unknown>,
      },
      { requestTimeout: timeoutMs },
    );
}

export class ElasticsearchDashboard {
  private readonly o: Required<Omit<ElasticsearchDashboardOptions, 'search' | 'index' | 'now'>>;
  private readonly now: () => number;
  private cached: { at: number; value: Promise<DashboardSnapshot> } | undefined;

  constructor(private readonly options: ElasticsearchDashboardOptions) {
    this.o = {
      windowSeconds: options.windowSeconds ?? 900,
      stepSeconds: options.stepSeconds ?? 5,
      topWindowSeconds: options.topWindowSeconds ?? 300,
      topRows: options.topRows ?? 10,
      recentErrors: options.recentErrors ?? 50,
      cacheMs: options.cacheMs ?? 2000,
      timeoutMs: options.timeoutMs ?? 1500,
    };
    this.now = options.now ?? Date.now;
  }

  /** The numbers now: a cached answer younger than cacheMs, else one new search. */
  snapshot(): Promise<DashboardSnapshot> {
    const now = this.now();
    if (this.cached !== undefined && now - this.cached.at < this.o.cacheMs)
      return this.cached.value;
    const value = this.options
      .search(this.options.index, this.query(now), this.o.timeoutMs)
      .then((res) => this.fromResponse(res, now))
      .catch((err: unknown) => this.failed(now, err));
    this.cached = { at: now, value };
    return value;
  }

  /** The search body for the window ending at `now`. */
  query(now: number): object {
    const o = this.o;
    const { start, end } = this.window(now);
    const since = (seconds: number) => ({
      range: { '@timestamp': { gte: now - seconds * 1000, format: 'epoch_millis' } },
    });
    const classes = {
      range: { field: 'http.response.status_code', keyed: true, ranges: CLASS_RANGES },
    };
    const terms = (field: string, size: number) => ({ terms: { field, size } });
    return {
      size: 0,
      track_total_hits: true,
      query: {
        bool: {
          filter: [
            {
              range: {
                '@timestamp': { gte: start, lte: now, format: 'epoch_millis' },
              },
            },
          ],
          must_not: [{ term: { 'event.dataset': 'nginx.error' } }],
        },
      },
      aggs: {
        classes,
        over_time: {
          date_histogram: {
            field: '@timestamp',
            fixed_interval: `${o.stepSeconds}s`,
            min_doc_count: 0,
            extended_bounds: { min: start, max: end },
          },
          aggs: { classes },
        },
        rps: { filter: since(RPS_SECONDS) },
        error_rate: { filter: since(ERROR_RATE_SECONDS), aggs: { classes } },
        top: {
          filter: since(o.topWindowSeconds),
          aggs: {
            pages: terms('url.path', o.topRows),
            countries: {
              ...terms('source.geo.country_iso_code', o.topRows),
              aggs: { name: terms('source.geo.country_name', 1) },
            },
            cities: {
              ...terms('source.geo.city_name', o.topRows),
              aggs: { country: terms('source.geo.country_iso_code', 1) },
            },
            bots: { filter: BOT_QUERY },
          },
        },
        recent_5xx: {
          filter: { range: { 'http.response.status_code': { gte: 500, lt: 600 } } },
          aggs: {
            latest: {
              top_hits: {
                size: o.recentErrors,
                sort: [{ '@timestamp': { order: 'desc' } }],
                _source: {
                  includes: [
                    '@timestamp',
                    'http.response.status_code',
                    'http.request.method',
                    'url.original',
                    'url.path',
                    'source.ip',
                    'source.address',
                    'source.geo.country_iso_code',
                  ],
                },
              },
            },
          },
        },
      },
    };
  }

  /** The first and last step of the time series ending at `now` (epoch ms). */
  private window(now: number): { start: number; end: number } {
    const step = this.o.stepSeconds * 1000;
    const end = Math.floor(now / step) * step;
    return { start: end - (Math.ceil(this.o.windowSeconds / this.o.stepSeconds) - 1) * step, end };
  }

  /** Maps a search answer (as Elasticsearch sends it) to the dashboard document. */
  fromResponse(res: unknown, now: number): DashboardSnapshot {
    const r = res as SearchAnswer;
    const a = r.aggregations ?? {};
    const total = totalHits(r.hits?.total);
    const byClass = classCounts(a.classes, total);
    // No index yet (or Elasticsearch down): the same steps, all zero, so the chart keeps its axis.
    const buckets = a.over_time?.buckets ?? this.emptyBuckets(now);
    const series = {
      stepSeconds: this.o.stepSeconds,
      t: buckets.map((b) => Math.floor(b.key / 1000)),
      byClass: emptySeries(),
    };
    for (const b of buckets) {
      const c = classCounts(b.classes, b.doc_count);
      for (const k of STATUS_CLASSES) series.byClass[k].push(c[k]);
    }
    const errWindow = a.error_rate?.doc_count ?? 0;
    const err5xx = classCounts(a.error_rate?.classes, errWindow)['5xx'];
    const top = a.top;
    const topCount = top?.doc_count ?? 0;
    const bots = top?.bots?.doc_count ?? 0;
    return {
      source: 'elasticsearch',
      generatedAt: new Date(now).toISOString(),
      totalsScope: 'window',
      totals: { requests: total, byClass },
      rate: {
        requestsPerSecond: (a.rps?.doc_count ?? 0) / RPS_SECONDS,
        rpsSeconds: RPS_SECONDS,
        errorRate5xx: errWindow === 0 ? 0 : err5xx / errWindow,
        errorRateSeconds: ERROR_RATE_SECONDS,
      },
      series,
      topPages: (top?.pages?.buckets ?? []).map((b) => ({
        name: String(b.key),
        count: b.doc_count,
      })),
      countries: (top?.countries?.buckets ?? []).map((b) => {
        const row: CountryRow = {
          name: String(b.name?.buckets?.[0]?.key ?? b.key),
          count: b.doc_count,
        };
        row.code = String(b.key);
        return row;
      }),
      cities: (top?.cities?.buckets ?? []).map((b) => {
        const row: CityRow = { name: String(b.key), count: b.doc_count };
        const country = b.country?.buckets?.[0]?.key;
        if (country !== undefined) row.country = String(country);
        return row;
      }),
      topWindowSeconds: this.o.topWindowSeconds,
      bots: { bots, people: topCount - bots },
      recent5xx: (a.recent_5xx?.latest?.hits?.hits ?? []).map((h) => errorEntry(h._source ?? {})),
    };
  }

  private emptyBuckets(now: number): (Bucket & { key: number })[] {
    const { start, end } = this.window(now);
    const out: (Bucket & { key: number })[] = [];
    for (let key = start; key <= end; key += this.o.stepSeconds * 1000)
      out.push({ key, doc_count: 0 });
    return out;
  }

  private failed(now: number, err: unknown): DashboardSnapshot {
    const empty = this.fromResponse({}, now);
    const reason = (err as Error).message ?? String(err);
    return { ...empty, error: `Elasticsearch: ${reason.slice(0, 300)}` };
  }
}

interface Bucket {
  key: number | string;
  doc_count: number;
  classes?: RangeAgg;
  name?: { buckets?: Bucket[] };
  country?: { buckets?: Bucket[] };
}

interface RangeAgg {
  buckets?: Record<string, { doc_count: number }>;
}

interface SearchAnswer {
  hits?: { total?: number | { value: number } };
  aggregations?: {
    classes?: RangeAgg;
    over_time?: { buckets?: (Bucket & { key: number })[] };
    rps?: { doc_count: number };
    error_rate?: { doc_count: number; classes?: RangeAgg };
    top?: {
      doc_count: number;
      pages?: { buckets?: Bucket[] };
      countries?: { buckets?: Bucket[] };
      cities?: { buckets?: Bucket[] };
      bots?: { doc_count: number };
    };
    recent_5xx?: { latest?: { hits?: { hits?: { _source?: Record<string, unknown> }[] } } };
  };
}

function totalHits(total: number | { value: number } | undefined): number {
  if (typeof total === 'number') return total;
  return total?.value ?? 0;
}

/** Per-class counts from a keyed range aggregation; 'other' is what no range holds. */
function classCounts(agg: RangeAgg | undefined, total: number): Record<StatusClass, number> {
  const out = emptyByClass();
  let known = 0;
  for (const { key } of CLASS_RANGES) {
    const n = agg?.buckets?.[key]?.doc_count ?? 0;
    out[key] = n;
    known += n;
  }
  out.other = Math.max(0, total - known);
  return out;
}

function emptySeries(): Record<StatusClass, number[]> {
  return { '1xx': [], '2xx': [], '3xx': [], '4xx': [], '5xx': [], other: [] };
}

function pick(source: Record<string, unknown>, path: string): unknown {
  let v: unknown = source;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function text(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : undefined;
}

function errorEntry(source: Record<string, unknown>): ErrorEntry {
  const status = pick(source, 'http.response.status_code');
  return {
    time: text(pick(source, '@timestamp'), 64) ?? '',
    status: typeof status === 'number' ? status : 0,
    method: text(pick(source, 'http.request.method'), 32),
    url:
      text(pick(source, 'url.original'), MAX_URL) ?? text(pick(source, 'url.path'), MAX_URL) ?? '',
    ip: text(pick(source, 'source.ip'), 64) ?? text(pick(source, 'source.address'), 64),
    country: text(pick(source, 'source.geo.country_iso_code'), 8),
  };
}
