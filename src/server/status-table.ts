// A /status document as text tables for a person at a terminal (`logpod status`).
// Known sections first in a fixed order, then any section the owner added, rendered
// generically. Paths and reasons are remote text: control characters are replaced.

import type { StatusDocument } from './status-document.js';

type Cell = string | number | boolean | null | undefined;

const CORE_KEYS = new Set([
  'name',
  'version',
  'pid',
  'started_at',
  'uptime_seconds',
  'probes',
  'stages',
  'counters',
  'http_status_classes',
  'files',
  'consumer_lag',
  'latency',
]);

export function formatStatus(doc: StatusDocument, source: string): string {
  const out: string[] = [];
  out.push(
    `logpod ${clean(doc.version)} at ${clean(source)}  pid ${doc.pid}  up ${formatUptime(doc.uptime_seconds)}` +
      `  (since ${clean(doc.started_at)})`,
  );
  const probes = doc.probes ?? {};
  section(
    out,
    ['PROBE', 'OK', 'REASON'],
    Object.entries(probes).map(([name, v]) => [name, v.ok ? 'yes' : 'NO', v.reason ?? '']),
  );
  if (doc.stages?.length) {
    section(
      out,
      ['STAGE', 'STATE', 'PROGRESS', 'UNCHANGED'],
      doc.stages.map((s) => [s.name, s.state, s.progress, formatMs(s.unchanged_ms)]),
    );
  }
  const counters = Object.entries(doc.counters ?? {});
  if (counters.length)
    section(
      out,
      ['COUNTER', 'VALUE'],
      counters.map(([k, v]) => [words(k), v]),
    );
  if (doc.http_status_classes) {
    const classes = Object.entries(doc.http_status_classes).map(([k, v]) => `${k} ${v}`);
    out.push('', `RESPONSES  ${classes.join('  ')}`);
  }
  if (doc.files?.length) {
    section(
      out,
      ['INPUT', 'PATH', 'SIZE', 'COMMITTED', 'LAG BYTES'],
      doc.files.map((f) => [f.input, f.path, f.size, f.committed, f.lag_bytes]),
    );
  }
  if (doc.consumer_lag?.length) {
    section(
      out,
      ['TOPIC', 'PARTITION', 'LAG'],
      doc.consumer_lag.map((l) => [l.topic, l.partition, l.lag]),
    );
  }
  if (doc.latency) {
    section(
      out,
      ['LATENCY', 'COUNT', 'AVG MS'],
      Object.entries(doc.latency).map(([k, l]) => [words(k), l.count, l.avg_ms]),
    );
  }
  for (const [key, value] of Object.entries(doc)) {
    if (!CORE_KEYS.has(key)) genericSection(out, key, value);
  }
  return `${out.join('\n')}\n`;
}

/** Arrays of objects become tables, objects key/value rows, scalars one line. */
function genericSection(out: string[], key: string, value: unknown): void {
  const title = words(key).toUpperCase();
  if (Array.isArray(value)) {
    const rows = value.filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null,
    );
    if (rows.length === 0) return;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    out.push('', title);
    out.push(
      ...table(
        columns.map((c) => words(c).toUpperCase()),
        rows.map((r) => columns.map((c) => cell(r[c]))),
      ),
    );
  } else if (typeof value === 'object' && value !== null) {
    section(
      out,
      [title, 'VALUE'],
      Object.entries(value).map(([k, v]) => [words(k), cell(v)]),
    );
  } else {
    out.push('', `${title}  ${clean(String(value))}`);
  }
}

function section(out: string[], header: string[], rows: Cell[][]): void {
  out.push('', ...table(header, rows));
}

function table(header: string[], rows: Cell[][]): string[] {
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'),
  );
  const text = rows.map((r) =>
    header.map((_, i) => clean(r[i] === undefined || r[i] === null ? '' : String(r[i]))),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        if (numeric[i]) return c.padStart(widths[i]);
        return i === cells.length - 1 ? c : c.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...text.map(line)];
}

function cell(v: unknown): Cell {
  if (
    v === null ||
    v === undefined ||
    typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'boolean'
  ) {
    return v;
  }
  return JSON.stringify(v);
}

/** Control characters (C0, DEL, C1) become '?': a path must not drive the terminal. */
function clean(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : s[i];
  }
  return out;
}

function words(key: string): string {
  return key.replaceAll('_', ' ');
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}
