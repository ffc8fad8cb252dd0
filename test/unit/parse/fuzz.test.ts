// Fuzz: well over 100,000 generated, mutated and random lines (seeded, so runs
// are repeatable) through every parser. Each input must give exactly one event
// whose event.original is the input, that encodes as JSON, without a throw.

import t from 'tap';
import { createParser } from '../../../src/parse/index.js';
import type { LineParser } from '../../../src/parse/index.js';
import { decodeLine } from '../../../src/parse/decode-line.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(0x10960d);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => rand() < p;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TEXT = [
  'a',
  'Z',
  '0',
  ' ',
  '/',
  '?',
  '&',
  '=',
  '"',
  '\\',
  '\t',
  'é',
  '€',
  '😀',
  '\u0001',
  '-',
  '%',
];

/** nginx's default log escaping: `"`, `\`, controls and non-ASCII bytes as \xHH. */
function nginxEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out +=
      b === 0x22 || b === 0x5c || b < 0x20 || b > 0x7e
        ? '\\x' + b.toString(16).toUpperCase().padStart(2, '0')
        : String.fromCharCode(b);
  }
  return out;
}

function text(max: number): string {
  let s = '';
  for (let n = int(max) + 1; n > 0; n--) s += pick(TEXT);
  return s;
}
const token = () =>
  Array.from({ length: 1 + int(10) }, () => pick('abcxyz019_.:'.split(''))).join('');
const dashOr = (s: string) => (chance(0.15) ? '-' : s);

function ip(): string {
  switch (int(4)) {
    case 0:
      return `${int(256)}.${int(256)}.${int(256)}.${int(256)}`;
    case 1:
      return pick([
        '::1',
        '2001:db8::' + int(65536).toString(16),
        'fe80::1:2:3:4',
        '::ffff:10.0.0.' + int(256),
      ]);
    case 2:
      return 'unix:';
    default:
      return `10.0.${int(256)}.${int(256)}`;
  }
}

function localTime(ms: number): { local: string; iso: string; msec: string } {
  const off = (int(57) - 28) * 30;
  const d = new Date(ms + off * 60000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const wall = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const day = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return {
    local: `${day}:${wall} ${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`,
    iso: `${date}T${wall}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`,
    msec: `${Math.floor(ms / 1000)}.${pad(ms % 1000, 3)}`,
  };
}

function request(): string {
  const target = '/' + nginxEscape(text(30)).replace(/ /g, '%20');
  switch (int(8)) {
    case 0:
      return '';
    case 1:
      return '-';
    case 2:
      return nginxEscape(String.fromCharCode(0x16, 0x03, 0x01, int(256), 0xa5) + text(5));
    case 3:
      return `GET ${target}`;
    default:
      return `${pick(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])} ${target} HTTP/${pick(['1.0', '1.1', '2.0'])}`;
  }
}

const list = (item: () => string) =>
  Array.from({ length: 1 + int(3) }, item).join(pick([', ', ' : ']));
const secs = () => `${int(30)}.${pad(int(1000), 3)}`;

function values(): Record<string, string> {
  const t0 = localTime(int(2 ** 31) * 1000 + int(1000));
  return {
    remote_addr: ip(),
    remote_user: dashOr(token()),
    time_local: t0.local,
    time_iso8601: t0.iso,
    msec: t0.msec,
    request: request(),
    request_method: pick(['GET', 'POST', '-']),
    request_uri: dashOr('/' + token() + '?' + token()),
    uri: dashOr('/' + token()),
    args: dashOr(token()),
    server_protocol: pick(['HTTP/1.1', 'HTTP/2.0', '-']),
    scheme: pick(['http', 'https']),
    host: dashOr(token()),
    server_name: token(),
    status: String(100 + int(500)),
    body_bytes_sent: String(int(1e7)),
    bytes_sent: String(int(1e7)),
    request_length: dashOr(String(int(1e5))),
    request_time: dashOr(secs()),
    upstream_addr: dashOr(list(() => `10.0.0.${int(256)}:${int(65536)}`)),
    upstream_status: dashOr(list(() => String(200 + int(400)))),
    upstream_response_time: dashOr(list(secs)),
    upstream_connect_time: dashOr(list(secs)),
    http_referer: dashOr(nginxEscape(text(40))),
    http_user_agent: dashOr(nginxEscape(text(60))),
    http_x_forwarded_for: dashOr(list(ip).replace(/ : /g, ', ')),
    connection: String(int(1e9)),
    pipe: pick(['p', '.']),
    // nginx's $request_id is always 32 hex digits: read by its width.
    request_id: Array.from({ length: 32 }, () => '0123456789abcdef'[int(16)]).join(''),
  };
}

const COMBINED =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
const CUSTOM = [
  COMBINED + ' $request_time $upstream_response_time $pipe',
  '$time_iso8601 $msec $host $server_name $scheme "$request_method $request_uri $server_protocol" ' +
    '$status $bytes_sent $request_length $connection "$upstream_addr" "$upstream_status" ' +
    '"$upstream_connect_time" $uri $args "$http_x_forwarded_for" ${request_id}',
  `'$remote_addr [$time_local] ' '"$request" $status'`,
  // Adjacent variables whose value classes make the boundary certain.
  '$status$scheme://$host/x $request_id$server_protocol $msec$request_method [$time_local]$bytes_sent',
];

function fill(format: string, v: Record<string, string>): string {
  const f = format.startsWith("'") ? format.replace(/' +'/g, '').slice(1, -1) : format;
  return f.replace(/\$\{?([a-z_0-9]+)\}?/g, (_m, name: string) => v[name]);
}

function jsonLine(v: Record<string, string>): string {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) if (chance(0.5)) o[chance(0.2) ? '$' + k : k] = v[k];
  if (chance(0.3)) o.status = Number(v.status);
  if (chance(0.2)) o['http.response.bytes'] = int(1000);
  if (chance(0.2)) o['labels.' + token().replace(/[.:]/g, '')] = text(5);
  if (chance(0.2)) o[token()] = chance(0.5) ? text(10) : { n: int(9) };
  return JSON.stringify(o);
}

function errorLine(v: Record<string, string>): string {
  const t0 = localTime(int(2 ** 31) * 1000);
  const when = t0.iso.slice(0, 19).replace(/-/g, '/').replace('T', ' ');
  const level = pick(['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg']);
  let l = `${when} [${level}] ${int(1e5)}#${int(1e5)}: ${chance(0.7) ? `*${int(1e7)} ` : ''}${text(40)}`;
  if (chance(0.7)) {
    l += `, client: ${v.remote_addr}, server: ${token()}`;
    if (chance(0.8)) l += `, request: "${v.request}"`;
    if (chance(0.3)) l += `, upstream: "http://${token()}/"`;
    if (chance(0.7)) l += `, host: "${token()}"`;
  }
  return l;
}

const MUTATION_CHARS = [
  '"',
  '[',
  ']',
  ' ',
  '\\',
  '\\x',
  '\\x2',
  '-',
  ':',
  '{',
  '}',
  ',',
  '\u0000',
  '\ud800',
  'é',
  '9',
  '\n',
];

function mutate(line: string): string {
  let s = line;
  for (let n = 1 + int(4); n > 0; n--) {
    const at = int(s.length + 1);
    switch (int(6)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + 1 + int(8));
        break;
      case 1:
        s = s.slice(0, at) + pick(MUTATION_CHARS) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at);
        break;
      case 3:
        s = s.slice(0, at) + s.slice(int(s.length), int(s.length) + 20) + s.slice(at);
        break;
      case 4:
        s = s.slice(0, at) + String.fromCharCode(int(0x10000)) + s.slice(at);
        break;
      default:
        s = s.slice(0, at) + s.slice(at).replace(/"/, '');
    }
  }
  return s;
}

const PARSERS: [string, LineParser, (v: Record<string, string>) => string][] = [
  ['combined', createParser({ format: 'combined' }), (v) => fill(COMBINED, v)],
  ['main', createParser({ format: 'main' }), (v) => fill(COMBINED + ' "$http_x_forwarded_for"', v)],
  ['json', createParser({ format: 'json' }), jsonLine],
  ['error', createParser({ format: 'error', timezone: '+01:00' }), errorLine],
  ...CUSTOM.map((f, i): [string, LineParser, (v: Record<string, string>) => string] => [
    `custom${i}`,
    createParser({ format: 'custom', logFormat: f }),
    (v) => fill(f, v),
  ]),
];

function check(events: EcsEvent[], inputs: string[]): string | undefined {
  if (events.length !== inputs.length) return `${events.length} events for ${inputs.length} lines`;
  for (let i = 0; i < inputs.length; i++) {
    const ev = events[i];
    if (ev.event?.original !== inputs[i])
      return `event.original differs for ${JSON.stringify(inputs[i])}`;
    if (typeof JSON.stringify(ev) !== 'string') return `cannot encode ${JSON.stringify(inputs[i])}`;
  }
  return undefined;
}

t.test('generated valid lines all parse, with no "-" values left', async (t) => {
  let lines = 0;
  for (const [name, parser, gen] of PARSERS) {
    const inputs = Array.from({ length: 4000 }, () => gen(values()));
    const events = inputs.map((l) => parser.parse(l));
    t.equal(check(events, inputs), undefined, `${name}: one event per line, original kept`);
    const failed = inputs.find((_l, i) => events[i].tags !== undefined);
    t.equal(failed, undefined, `${name}: no parse failure on valid lines`);
    // A query or a message may really be '-'; any other '-' would be nginx's "absent".
    const rest = (e: EcsEvent) => ({ ...e, event: undefined, url: undefined, message: undefined });
    const dash = events.find((e) => /":"-"/.test(JSON.stringify(rest(e))));
    t.equal(dash && dash.event.original, undefined, `${name}: absent values are absent keys`);
    lines += inputs.length;
  }
  t.ok(lines >= 28000);
});

// Mutations bring the variety; base values are drawn from a pool to keep the run short.
const POOL = Array.from({ length: 3000 }, values);

t.test('mutated, random and cross-format lines never throw', async (t) => {
  let lines = 0;
  const rounds = 15000;
  for (const [name, parser, gen] of PARSERS) {
    const inputs: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const r = int(10);
      if (r < 6) inputs.push(mutate(gen(pick(POOL))));
      else if (r < 8) inputs.push(text(120));
      else inputs.push(mutate(pick(PARSERS)[2](pick(POOL))));
    }
    const events = inputs.map((l) => parser.parse(l));
    t.equal(check(events, inputs), undefined, `${name}: ${rounds} hostile lines`);
    lines += inputs.length;
  }
  t.ok(lines >= 100000, `${lines} lines`);
});

t.test('random bytes through decodeLine then every parser', async (t) => {
  const inputs: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const bytes = Buffer.from(
      Array.from({ length: int(200) }, () => (chance(0.7) ? 0x20 + int(95) : int(256))),
    );
    inputs.push(decodeLine(bytes).text);
  }
  for (const [name, parser] of PARSERS) {
    const events = inputs.map((l) => parser.parse(l));
    t.equal(check(events, inputs), undefined, name);
  }
});
