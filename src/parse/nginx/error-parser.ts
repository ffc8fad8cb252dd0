// Reads nginx error log lines: `2024/01/02 03:04:05 [error] 1#2: *3 message`,
// optionally followed by the `, client: …, server: …, request: "…", host: "…"`
// context nginx appends. Scans with indexOf; the tail search is bounded.

import type { EcsEvent } from '../../pipeline/event.js';
import { parseFailure } from './failure.js';
import { isIP } from '../../net/ip.js';
import { splitRequestLine, splitTarget } from './request-line.js';
import type { RequestLine, TargetParts } from './request-line.js';
import type { TimeParser } from './timestamp.js';

const CLIENT = ', client: ';
/** Context keys nginx may append after the client, as `, key: value`. */
const QUOTED_KEYS = ['request: "', 'subrequest: "', 'upstream: "', 'host: "', 'referrer: "'];
const SERVER_KEY = 'server: ';
/** How many `, client: ` occurrences are tried as the start of the context. */
const MAX_TAIL_TRIES = 16;

interface Tail {
  client: string | undefined;
  server: string | undefined;
  quoted: (string | undefined)[];
}

const request: RequestLine = { method: '', target: '', version: '' };
const target: TargetParts = { path: undefined, query: undefined };

function readDigits(line: string, from: number): number {
  let i = from;
  while (i < line.length && i - from < 16) {
    const c = line.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

/** nginx writes '-' (or nothing) for a value it does not have. */
function present(s: string): string | undefined {
  return s === '' || s === '-' ? undefined : s;
}

/** A token with no space, comma or quote (client address, server name). */
function isToken(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x22 || c === 0x2c) return false;
  }
  return true;
}

/** Index of the context key at `p` (after `, `): 0.. for quoted keys, -1 for server, -2 if none. */
function keyAt(line: string, p: number): number {
  for (let k = 0; k < QUOTED_KEYS.length; k++) {
    if (line.startsWith(QUOTED_KEYS[k], p)) return k;
  }
  return line.startsWith(SERVER_KEY, p) ? -1 : -2;
}

/** Reads the context from `, client: ` at `at` to the end of the line, or returns undefined. */
function readTail(line: string, at: number): Tail | undefined {
  const len = line.length;
  let p = at + CLIENT.length;
  let end = line.indexOf(', ', p);
  if (end === -1) end = len;
  const client = line.slice(p, end);
  if (!isToken(client)) return undefined;
  const tail: Tail = { client: present(client), server: undefined, quoted: [] };
  p = end;
  while (p < len) {
    if (!line.startsWith(', ', p)) return undefined;
    const key = keyAt(line, p + 2);
    if (key === -2) return undefined;
    if (key === -1) {
      p += 2 + SERVER_KEY.length;
      end = line.indexOf(', ', p);
      if (end === -1) end = len;
      const server = line.slice(p, end);
      if (!isToken(server)) return undefined;
      tail.server = present(server);
      p = end;
      continue;
    }
    p += 2 + QUOTED_KEYS[key].length;
    // The value ends at a quote that ends the line or precedes another key.
    let q = line.indexOf('"', p);
    while (q !== -1 && q !== len - 1) {
      if (line.startsWith(', ', q + 1) && keyAt(line, q + 3) !== -2) break;
      q = line.indexOf('"', q + 1);
    }
    if (q === -1) return undefined;
    tail.quoted[key] = present(line.slice(p, q));
    p = q + 1;
  }
  return tail;
}

export class ErrorLineParser {
  constructor(private readonly time: TimeParser) {}

  parse(line: string): EcsEvent {
    try {
      const ev = this.read(line);
      if (ev !== undefined) return ev;
    } catch {
      // Unreachable by design; should a bug throw, the line still goes on.
    }
    return parseFailure(line, 'nginx.error');
  }

  private read(line: string): EcsEvent | undefined {
    if (line.length < 24 || line.charCodeAt(19) !== 0x20 || line.charCodeAt(20) !== 0x5b) return;
    const ts = this.time.errorTime(line.slice(0, 19));
    const close = line.indexOf(']', 21);
    if (ts === undefined || close < 22 || close > 31) return;
    const level = line.slice(21, close);
    for (let i = 0; i < level.length; i++) {
      const c = level.charCodeAt(i);
      if (c < 0x61 || c > 0x7a) return;
    }
    let p = close + 1;
    if (line.charCodeAt(p) !== 0x20) return;
    let e = readDigits(line, ++p);
    if (e === p || line.charCodeAt(e) !== 0x23) return;
    const pid = Number(line.slice(p, e));
    p = e + 1;
    e = readDigits(line, p);
    if (e === p || line.charCodeAt(e) !== 0x3a) return;
    const tid = Number(line.slice(p, e));
    p = e + 1;
    if (line.charCodeAt(p) === 0x20) p++;
    let connection: number | undefined;
    if (line.charCodeAt(p) === 0x2a) {
      e = readDigits(line, p + 1);
      if (e === p + 1 || (e < line.length && line.charCodeAt(e) !== 0x20)) return;
      connection = Number(line.slice(p + 1, e));
      p = e < line.length ? e + 1 : e;
    }

    let tail: Tail | undefined;
    let at = line.indexOf(CLIENT, p);
    for (let tries = 0; at !== -1 && tries < MAX_TAIL_TRIES; tries++) {
      tail = readTail(line, at);
      if (tail !== undefined) break;
      at = line.indexOf(CLIENT, at + 1);
    }
    const message = line.slice(p, tail === undefined ? line.length : at);
    return build(line, ts, level, pid, tid, connection, message, tail);
  }
}

function build(
  line: string,
  ts: string,
  level: string,
  pid: number,
  tid: number,
  connection: number | undefined,
  message: string,
  tail: Tail | undefined,
): EcsEvent {
  const ev: Record<string, unknown> = { '@timestamp': ts, log: { level } };
  if (message !== '') ev.message = message;
  ev.process = { pid, thread: { id: tid } };
  const error: Record<string, unknown> = {};
  if (connection !== undefined) error.connection_id = connection;
  if (tail !== undefined) {
    const address = tail.client;
    if (address !== undefined) ev.source = isIP(address) ? { address, ip: address } : { address };
    const [req, subrequest, upstream, host, referrer] = tail.quoted;
    const url: Record<string, unknown> = {};
    const http: Record<string, unknown> = {};
    if (req !== undefined) {
      if (splitRequestLine(req, request)) {
        http.request = { method: request.method };
        if (request.version !== '') http.version = request.version;
        splitTarget(request.target, target);
        url.original = request.target;
        if (target.path !== undefined) url.path = target.path;
        if (target.query !== undefined) url.query = target.query;
      } else {
        error.request = req;
      }
    }
    if (referrer !== undefined) {
      if (http.request === undefined) http.request = {};
      (http.request as Record<string, unknown>).referrer = referrer;
    }
    const domain = host ?? tail.server;
    if (domain !== undefined) url.domain = domain;
    if (domain === host && tail.server !== undefined) error.server = tail.server;
    if (subrequest !== undefined) error.subrequest = subrequest;
    if (upstream !== undefined) error.upstream = upstream;
    if (http.request !== undefined || http.version !== undefined) ev.http = http;
    if (Object.keys(url).length > 0) ev.url = url;
  }
  if (Object.keys(error).length > 0) ev.nginx = { error };
  ev.event = { original: line, dataset: 'nginx.error' };
  return ev as EcsEvent;
}
