// The baselines logpod's parser is measured against: what a first attempt in
// Node would do. One regex per line and JSON.stringify; "bare" keeps the raw
// strings, "full" builds the same ECS event logpod does (time to ISO, IP check,
// URL split, \xHH escapes, event.id, log.*, host). Baselines only, never shipped.

import { isIP } from 'node:net';

// combined, with main's optional trailing "$http_x_forwarded_for".
const LINE =
  /^(\S+) - (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"(?: "([^"]*)")?$/;

/** Raw variables as strings, one object a line. */
export function naiveBare(line) {
  const m = LINE.exec(line);
  if (m === null) return { message: line, tags: ['_parse_failure'] };
  return {
    remote_addr: m[1],
    remote_user: m[2],
    time_local: m[3],
    request: m[4],
    status: m[5],
    body_bytes_sent: m[6],
    http_referer: m[7],
    http_user_agent: m[8],
    http_x_forwarded_for: m[9],
  };
}

function unescape(s) {
  if (s.indexOf('\\x') === -1) return s;
  const latin1 = s.replace(/\\x([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** `14/Mar/2026:08:00:00 +0100` -> ISO 8601 UTC, the way a first attempt would. */
function isoTime(t) {
  const d = new Date(t.replace(':', ' ').replace(/\//g, ' '));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The same event shape logpod builds for a `main` line. */
export function naiveFull(line, path, offset, sourceId, host) {
  const m = LINE.exec(line);
  if (m === null) {
    return {
      '@timestamp': new Date().toISOString(),
      tags: ['_parse_failure'],
      event: { original: line, dataset: 'nginx.access', id: `${sourceId}-${offset}` },
      log: { file: { path }, offset },
      host,
    };
  }
  const ev = {};
  ev['@timestamp'] = isoTime(m[3]);
  ev.source = isIP(m[1]) ? { address: m[1], ip: m[1] } : { address: m[1] };
  if (m[2] !== '-') ev.user = { name: unescape(m[2]) };
  const parts = unescape(m[4]).split(' ');
  const request = { method: parts[0] };
  if (m[7] !== '-') request.referrer = unescape(m[7]);
  const response = { status_code: Number(m[5]) };
  if (m[6] !== '-') response.body = { bytes: Number(m[6]) };
  ev.http = { request, version: (parts[2] ?? '').replace('HTTP/', ''), response };
  const target = parts[1] ?? '';
  const q = target.indexOf('?');
  ev.url =
    q === -1
      ? { original: target, path: target }
      : { original: target, path: target.slice(0, q), query: target.slice(q + 1) };
  if (m[8] !== '-') ev.user_agent = { original: unescape(m[8]) };
  if (m[9] !== undefined && m[9] !== '-') {
    ev.nginx = { access: { remote_ip_list: m[9].split(',').map((s) => s.trim()) } };
  }
  ev.event = { original: line, dataset: 'nginx.access', id: `${sourceId}-${offset}` };
  ev.log = { file: { path }, offset };
  ev.host = host;
  return ev;
}
