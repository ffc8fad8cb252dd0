// Reads nginx's log files as the ground truth: every line of access.log and
// its rotated siblings, the request id of each (the URL path /e2e/<case>/<n>),
// and the fields a line should become, parsed here independently of logpod
// (a plain regex is fine in a test: the lines are nginx's and ours).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogFormatName } from './nginx.js';

export interface LogLine {
  file: string;
  raw: Buffer;
}

/** Lines of one file (without their LF); a last line without LF is kept too. */
export async function readLines(file: string): Promise<LogLine[]> {
  const data = await readFile(file);
  const lines: LogLine[] = [];
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    if (end === -1) end = data.length;
    lines.push({ file, raw: data.subarray(start, end) });
    start = end + 1;
  }
  return lines;
}

/** Every line of `access.log*` in `dir`, rotated files included. */
export async function readLogDir(dir: string): Promise<LogLine[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('access.log')).sort();
  const out: LogLine[] = [];
  for (const name of names) out.push(...(await readLines(join(dir, name))));
  return out;
}

/** The request path of a line when it is one of this case's requests: /e2e/<case>/... */
export function requestId(raw: Buffer, caseName: string): string | undefined {
  const marker = Buffer.from(` /e2e/${caseName}/`);
  const at = raw.indexOf(marker);
  if (at === -1) return undefined;
  let end = at + 1;
  while (end < raw.length && raw[end] !== 0x3f && raw[end] !== 0x20) end++;
  return raw.subarray(at + 1, end).toString('latin1');
}

/** nginx writes `"`, `\`, control and non-ASCII bytes as \xHH: back to the bytes, then UTF-8. */
export function unescapeNginx(s: string): string {
  if (!s.includes('\\x')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** What logpod should make of a line: the fields the suite checks one by one. */
export interface ExpectedFields {
  'source.ip': string;
  'http.request.method': string;
  'url.original': string;
  'http.response.status_code': number;
  'http.response.body.bytes': number;
  '@timestamp': string;
  'user_agent.original'?: string;
  'http.request.referrer'?: string;
  'event.duration'?: number;
  'http.request.bytes'?: number;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** 28/Nov/2026:10:00:00 +0100 -> ISO 8601 UTC with milliseconds. */
function timeLocal(s: string): string {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (m === null) throw new Error(`not a $time_local: ${s}`);
  const [, d, mon, y, hh, mm, ss, sign, oh, om] = m;
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = Date.UTC(+y, MONTHS.indexOf(mon) / 3, +d, +hh, +mm, +ss) - offsetMin * 60_000;
  return new Date(ms).toISOString();
}

const MAIN = /^(\S+) - (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+) "([^"]*)" "([^"]*)" "([^"]*)"$/;
const CUSTOM = /^(\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+) rt=([\d.]+) len=(\d+) "([^"]*)"$/;

/** The expected ECS fields of a line nginx wrote in `format`. */
export function expectedFields(raw: Buffer, format: LogFormatName): ExpectedFields {
  const line = raw.toString('latin1');
  const m = (format === 'main' ? MAIN : CUSTOM).exec(line);
  if (m === null) throw new Error(`not a ${format} line: ${line.slice(0, 300)}`);
  const main = format === 'main';
  const [method, target] = m[main ? 4 : 3].split(' ');
  const fields: ExpectedFields = {
    'source.ip': m[1],
    'http.request.method': method,
    'url.original': unescapeNginx(target),
    'http.response.status_code': Number(m[main ? 5 : 4]),
    'http.response.body.bytes': Number(m[main ? 6 : 5]),
    '@timestamp': main ? timeLocal(m[3]) : new Date(Date.parse(m[2])).toISOString(),
  };
  const ua = unescapeNginx(m[8]);
  if (ua !== '-' && ua !== '') fields['user_agent.original'] = ua;
  if (main && m[7] !== '-') fields['http.request.referrer'] = unescapeNginx(m[7]);
  if (!main) {
    fields['event.duration'] = Math.round(Number(m[6]) * 1e9);
    fields['http.request.bytes'] = Number(m[7]);
  }
  return fields;
}

/** The same fields read from an indexed document (dotted paths into _source). */
export function actualFields(doc: Record<string, unknown>, like: ExpectedFields): ExpectedFields {
  const get = (path: string): unknown =>
    path === '@timestamp'
      ? doc['@timestamp']
      : path
          .split('.')
          .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(like)) out[key] = get(key);
  const ts = out['@timestamp'];
  if (typeof ts === 'string') out['@timestamp'] = new Date(Date.parse(ts)).toISOString();
  return out as unknown as ExpectedFields;
}
