// The live dashboard page: polls /api/dashboard every 1.5 s and shows the numbers. Data
// from logs goes into the page only as text (render.ts); nothing is fetched from
// anywhere but this server.

import type { DashboardSnapshot } from '../../src/dashboard/snapshot.js';
import { StatusChart } from './chart.js';
import {
  byTestId,
  formatCount,
  formatPercent,
  formatRate,
  formatSpan,
  formatTime,
  setRows,
  setText,
} from './render.js';

const API = 'api/dashboard';
const POLL_MS = 1500;
const TIMEOUT_MS = 5000;

const chart = new StatusChart(byTestId('chart'));

function show(s: DashboardSnapshot): void {
  const status = byTestId('status');
  if (s.error !== undefined) {
    status.className = 'status error';
    status.textContent = s.error;
  } else {
    status.className = 'status';
    const from = s.source === 'live' ? 'this process' : 'Elasticsearch';
    status.textContent = `from ${from} · updated ${formatTime(s.generatedAt)} UTC`;
  }
  // Says where GeoIP and user agents come from when this process does not add them.
  const note = byTestId('enrichment-note');
  note.textContent = s.enrichmentNote ?? '';
  note.hidden = s.enrichmentNote === undefined;
  setText('rps', formatRate(s.rate.requestsPerSecond));
  setText('rps-window', formatSpan(s.rate.rpsSeconds));
  setText('total-requests', formatCount(s.totals.requests));
  setText('totals-scope', s.totalsScope === 'since-start' ? 'since start' : 'in the window');
  for (const c of ['2xx', '3xx', '4xx', '5xx'] as const) {
    setText(`class-${c}`, formatCount(s.totals.byClass[c]));
  }
  setText('error-rate', formatPercent(s.rate.errorRate5xx));
  setText('error-rate-window', formatSpan(s.rate.errorRateSeconds));
  setText('bots', formatCount(s.bots.bots));
  setText('people', formatCount(s.bots.people));
  setText('top-window', formatSpan(s.topWindowSeconds));
  setText('top-pages-window', formatSpan(s.topWindowSeconds));
  chart.update(s.series);
  setRows(
    'top-pages',
    s.topPages.map((r) => [
      { text: r.name, className: 'url', title: true },
      { text: formatCount(r.count), className: 'num' },
    ]),
    2,
    'no requests yet',
  );
  setRows(
    'countries',
    s.countries.map((r) => [
      { text: r.name, title: true },
      { text: r.code ?? '' },
      { text: formatCount(r.count), className: 'num' },
    ]),
    3,
    'no located visitors yet',
  );
  setRows(
    'cities',
    s.cities.map((r) => [
      { text: r.name, title: true },
      { text: r.country ?? '' },
      { text: formatCount(r.count), className: 'num' },
    ]),
    3,
    'no located visitors yet',
  );
  setRows(
    'recent-5xx',
    s.recent5xx.map((e) => [
      { text: formatTime(e.time) },
      { text: String(e.status) },
      { text: e.method ?? '' },
      { text: e.url, className: 'url', title: true },
      { text: e.ip ?? '' },
      { text: e.country ?? '' },
    ]),
    6,
    'no 5xx',
  );
}

function unreachable(reason: string): void {
  const status = byTestId('status');
  status.className = 'status error';
  status.textContent = `cannot read ${API}: ${reason}`;
}

async function poll(): Promise<void> {
  try {
    const res = await fetch(API, { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json()) as DashboardSnapshot | { error: string };
    if ('totals' in body) show(body);
    else unreachable(`${res.status} ${body.error}`);
  } catch (err) {
    unreachable((err as Error).message);
  } finally {
    setTimeout(() => void poll(), POLL_MS);
  }
}

void poll();
