// The JSON document GET /api/dashboard answers, the same shape whether it comes from the
// in-memory aggregates (agent, run) or from Elasticsearch aggregations (writer). Every
// string in it may come from a log line: the page renders them as text, never as markup.

/** Status classes in display order; 'other' is an event without a 1xx-5xx status. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export interface CountRow {
  name: string;
  count: number;
}

export interface CountryRow extends CountRow {
  /** ISO 3166-1 alpha-2 code, when the enrichment gave one. */
  code?: string;
}

export interface CityRow extends CountRow {
  country?: string;
}

export interface ErrorEntry {
  time: string;
  status: number;
  method?: string;
  url: string;
  ip?: string;
  country?: string;
}

export interface DashboardSnapshot {
  /** Where the numbers come from. */
  source: 'live' | 'elasticsearch';
  generatedAt: string;
  /** What the totals count: since this process started (live) or the window (elasticsearch). */
  totalsScope: 'since-start' | 'window';
  totals: { requests: number; byClass: Record<StatusClass, number> };
  rate: {
    /** Requests per second over the last `rpsSeconds` complete seconds. */
    requestsPerSecond: number;
    rpsSeconds: number;
    /** Share of 5xx among the requests of the last `errorRateSeconds` (0..1; 0 without requests). */
    errorRate5xx: number;
    errorRateSeconds: number;
  };
  /** Status classes over time: t[i] is a unix second, each class one count per step. */
  series: { stepSeconds: number; t: number[]; byClass: Record<StatusClass, number[]> };
  /** The busiest url.path values of the last `topWindowSeconds`. */
  topPages: CountRow[];
  countries: CountryRow[];
  cities: CityRow[];
  topWindowSeconds: number;
  /** Bots against people over the same window, when the enrichment tells them apart. */
  bots: { bots: number; people: number };
  /** The most recent 5xx responses, newest first. */
  recent5xx: ErrorEntry[];
  /**
   * Set when this process does not enrich (GeoIP, user agent), saying where that happens
   * instead (the writer); countries, cities and bots stay empty here then.
   */
  enrichmentNote?: string;
  /** Set when the numbers could not be read (Elasticsearch down): the rest is empty. */
  error?: string;
}

/** The class of an HTTP status code; anything outside 100-599 (or absent) is 'other'. */
export function statusClassIndex(status: unknown): number {
  if (typeof status !== 'number' || status < 100 || status >= 600) return 5;
  return Math.floor(status / 100) - 1;
}

export function emptyByClass(): Record<StatusClass, number> {
  return { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 };
}
