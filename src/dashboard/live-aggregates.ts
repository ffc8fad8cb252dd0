// The agent's and standalone run's dashboard numbers, kept in memory from every event the
// output is handed (after parsing and enrichment). Memory is fixed: a per-second ring for
// the time series, top-K counters in time buckets for the "now" tables, a ring of 50 5xx.

import type { EcsEvent } from '../pipeline/event.js';
import { isRequest, requestFields, type RequestFields } from './event-fields.js';
import { SecondRing } from '../support/second-ring.js';
import {
  STATUS_CLASSES,
  emptyByClass,
  statusClassIndex,
  type CityRow,
  type CountryRow,
  type DashboardSnapshot,
  type ErrorEntry,
} from './snapshot.js';
import { TopCounter, topOf } from './top-counter.js';

export interface LiveAggregatesOptions {
  /** Seconds of per-second history (default 600). */
  windowSeconds?: number;
  /** The "now" tables cover about this many seconds (default 300). */
  topWindowSeconds?: number;
  /** Granularity of the "now" tables (default 30). */
  bucketSeconds?: number;
  /** Keys each top counter keeps per bucket (default 200). */
  topCapacity?: number;
  /** Rows in each table (default 10). */
  topRows?: number;
  /** Recent 5xx kept (default 50). */
  recentErrors?: number;
  now?: () => number;
}

interface Bucket {
  id: number;
  pages: TopCounter;
  countries: TopCounter;
  cities: TopCounter;
  bots: number;
  people: number;
}

const SEP = '\u0000';
const MAX_URL = 1000;
const RPS_SECONDS = 10;
const ERROR_RATE_SECONDS = 60;
const FIVE_XX = 4;

export class LiveAggregates {
  private readonly ring: SecondRing;
  private readonly buckets: Bucket[];
  private readonly bucketMs: number;
  private readonly topRows: number;
  private readonly topWindowSeconds: number;
  private readonly errors: (ErrorEntry | undefined)[];
  private errorNext = 0;
  private lastSecondText = '';
  private lastSecond = 0;
  private readonly totals = new Array<number>(STATUS_CLASSES.length).fill(0);
  /** Per status class, the events of the current run of one second (observe's scratch). */
  private readonly run = new Array<number>(STATUS_CLASSES.length).fill(0);
  private readonly now: () => number;

  constructor(options: LiveAggregatesOptions = {}) {
    const bucketSeconds = options.bucketSeconds ?? 30;
    this.topWindowSeconds = options.topWindowSeconds ?? 300;
    this.ring = new SecondRing(options.windowSeconds ?? 600, STATUS_CLASSES.length);
    this.bucketMs = bucketSeconds * 1000;
    const capacity = options.topCapacity ?? 200;
    this.buckets = Array.from(
      { length: Math.max(1, Math.ceil(this.topWindowSeconds / bucketSeconds)) },
      () => ({
        id: -1,
        pages: new TopCounter(capacity),
        countries: new TopCounter(capacity),
        cities: new TopCounter(capacity),
        bots: 0,
        people: 0,
      }),
    );
    this.topRows = options.topRows ?? 10;
    this.errors = new Array(options.recentErrors ?? 50).fill(undefined);
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts a batch of events; the pipeline calls it once per batch handed to the output.
   * Consecutive events mostly share their second: counts are summed per run of one second
   * and added to the ring, the bucket and the totals once per run, not once per event.
   */
  observe(events: readonly EcsEvent[]): void {
    const now = this.now();
    const oldestMs = now - this.ring.seconds * 1000;
    const run = this.run;
    run.fill(0);
    let runMs = NaN;
    let bucket: Bucket | undefined;
    let bots = 0;
    let people = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (!isRequest(event)) continue;
      const f = requestFields(event);
      const cls = statusClassIndex(f.status);
      this.totals[cls]++;
      const parsed = this.secondOf(event['@timestamp']);
      // A clock ahead of ours counts as now; lines older than the window only in totals.
      const ms = Number.isNaN(parsed) || parsed * 1000 > now ? now : parsed * 1000;
      if (cls === FIVE_XX) this.recordError(f, ms);
      if (ms <= oldestMs) continue;
      if (ms !== runMs) {
        this.endRun(runMs, bucket, bots, people);
        bots = 0;
        people = 0;
        runMs = ms;
        bucket = this.bucketFor(ms);
      }
      run[cls]++;
      if (bucket !== undefined) {
        if (f.path !== undefined) bucket.pages.add(f.path);
        if (f.countryCode !== undefined || f.countryName !== undefined)
          bucket.countries.add(`${f.countryCode ?? ''}${SEP}${f.countryName ?? ''}`);
        if (f.city !== undefined) bucket.cities.add(`${f.city}${SEP}${f.countryCode ?? ''}`);
        if (f.bot) bots++;
        else people++;
      }
    }
    this.endRun(runMs, bucket, bots, people);
  }

  /** Adds a run's per-class counts to the ring and its bots/people to its bucket. */
  private endRun(ms: number, bucket: Bucket | undefined, bots: number, people: number): void {
    if (Number.isNaN(ms)) return;
    const run = this.run;
    const sec = Math.floor(ms / 1000);
    for (let c = 0; c < run.length; c++) {
      if (run[c] !== 0) this.ring.add(sec, c, run[c]);
      run[c] = 0;
    }
    if (bucket !== undefined) {
      bucket.bots += bots;
      bucket.people += people;
    }
  }

  /** Per status class, the requests in seconds from..to (inclusive). */
  private classSums(from: number, to: number): number[] {
    return STATUS_CLASSES.map((_, i) => this.ring.sum(i, from, to));
  }

  snapshot(): DashboardSnapshot {
    const now = this.now();
    const nowSec = Math.floor(now / 1000);
    const byClass = emptyByClass();
    let requests = 0;
    STATUS_CLASSES.forEach((c, i) => {
      byClass[c] = this.totals[i];
      requests += this.totals[i];
    });
    const recentRps = this.classSums(nowSec - RPS_SECONDS, nowSec - 1);
    const recentErr = this.classSums(nowSec - ERROR_RATE_SECONDS + 1, nowSec);
    const errTotal = recentErr.reduce((a, b) => a + b, 0);
    // One column per second of the window ending now, zeros where nothing came.
    const window = this.ring.seconds;
    const seriesT = Array.from({ length: window }, (_, k) => nowSec - window + 1 + k);
    const seriesByClass = emptyByClass() as unknown as Record<string, number[]>;
    STATUS_CLASSES.forEach(
      (c, i) => (seriesByClass[c] = seriesT.map((s) => this.ring.count(s, i))),
    );

    const pages = new Map<string, number>();
    const countries = new Map<string, number>();
    const cities = new Map<string, number>();
    let bots = 0;
    let people = 0;
    const nowBucket = Math.floor(now / this.bucketMs);
    for (const b of this.buckets) {
      if (b.id <= nowBucket - this.buckets.length || b.id > nowBucket) continue;
      b.pages.addTo(pages);
      b.countries.addTo(countries);
      b.cities.addTo(cities);
      bots += b.bots;
      people += b.people;
    }
    return {
      source: 'live',
      generatedAt: new Date(now).toISOString(),
      totalsScope: 'since-start',
      totals: { requests, byClass },
      rate: {
        requestsPerSecond: recentRps.reduce((a, b) => a + b, 0) / RPS_SECONDS,
        rpsSeconds: RPS_SECONDS,
        errorRate5xx: errTotal === 0 ? 0 : recentErr[FIVE_XX] / errTotal,
        errorRateSeconds: ERROR_RATE_SECONDS,
      },
      series: {
        stepSeconds: 1,
        t: seriesT,
        byClass: seriesByClass as DashboardSnapshot['series']['byClass'],
      },
      topPages: topOf(pages, this.topRows).map((e) => ({ name: e.key, count: e.count })),
      countries: topOf(countries, this.topRows).map(countryRow),
      cities: topOf(cities, this.topRows).map(cityRow),
      topWindowSeconds: this.topWindowSeconds,
      bots: { bots, people },
      recent5xx: this.recentErrors(),
    };
  }

  /**
   * The unix second of an ISO @timestamp (NaN when unreadable). Consecutive events mostly
   * share their second: it is parsed once per second, not per event (Date.parse costs
   * about 1 us, half of what observing an event costs otherwise).
   */
  private secondOf(ts: string | undefined): number {
    if (ts === undefined) return NaN;
    const z = ts.length - 1;
    // "YYYY-MM-DDTHH:MM:SS" then ".fff...Z" or "Z": the second is in the first 19 characters.
    if (z >= 19 && ts.charCodeAt(z) === 0x5a && (z === 19 || ts.charCodeAt(19) === 0x2e)) {
      if (this.lastSecondText.length === 19 && ts.startsWith(this.lastSecondText))
        return this.lastSecond;
      const ms = Date.parse(ts);
      if (Number.isNaN(ms)) return NaN;
      this.lastSecondText = ts.slice(0, 19);
      this.lastSecond = Math.floor(ms / 1000);
      return this.lastSecond;
    }
    return Math.floor(Date.parse(ts) / 1000);
  }

  private recordError(f: RequestFields, ms: number): void {
    this.errors[this.errorNext] = {
      time: new Date(ms).toISOString(),
      status: f.status!,
      method: f.method,
      url: (f.url ?? '').slice(0, MAX_URL),
      ip: f.ip?.slice(0, 64),
      country: f.countryCode ?? f.countryName,
    };
    this.errorNext = (this.errorNext + 1) % this.errors.length;
  }

  private recentErrors(): ErrorEntry[] {
    const out: ErrorEntry[] = [];
    const n = this.errors.length;
    for (let k = 1; k <= n; k++) {
      const e = this.errors[(this.errorNext - k + n) % n];
      if (e !== undefined) out.push(e);
    }
    return out;
  }

  /** The bucket for time `ms`, reset when it last held an older bucket; undefined when too old. */
  private bucketFor(ms: number): Bucket | undefined {
    const id = Math.floor(ms / this.bucketMs);
    const b = this.buckets[id % this.buckets.length];
    if (b.id === id) return b;
    if (b.id > id) return undefined;
    b.id = id;
    b.pages.clear();
    b.countries.clear();
    b.cities.clear();
    b.bots = 0;
    b.people = 0;
    return b;
  }
}

function countryRow(e: { key: string; count: number }): CountryRow {
  const cut = e.key.indexOf(SEP);
  const code = e.key.slice(0, cut);
  const name = e.key.slice(cut + 1);
  const row: CountryRow = { name: name || code, count: e.count };
  if (code !== '') row.code = code;
  return row;
}

function cityRow(e: { key: string; count: number }): CityRow {
  const cut = e.key.indexOf(SEP);
  const country = e.key.slice(cut + 1);
  const row: CityRow = { name: e.key.slice(0, cut), count: e.count };
  if (country !== '') row.country = country;
  return row;
}
