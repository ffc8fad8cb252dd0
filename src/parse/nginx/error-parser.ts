// Reads nginx error log lines: `2024/01/02 03:04:05 [error] 1#2: *3 message`,
// optionally followed by the `, client: …, server: …, request: "…", host: "…"`
// context nginx appends. The message often holds request text (a decoded URI),
// so the context is read from the right, in nginx's fixed order: text inside
// the message never becomes a field. One backward scan with lastIndexOf.

import type { EcsEvent } from '../../pipeline/event.js';
import { parseFailure } from './failure.js';
import { isIP } from '../../net/ip.js';
import { splitRequestLine, splitTarget } from './request-line.js';
import type { RequestLine, TargetParts } from './request-line.js';
import type { TimeParser } from './timestamp.js';

/**
 * The context nginx appends, in the fixed order it writes it (ngx_http_log_error):
 * `, client: A, server: B, request: "…", subrequest: "…", upstream: "…",
 * host: "…", referrer: "…"`. client and server are bare tokens, the rest quoted.
 */
const KEYS = [
  'client: ',
  'server: ',
  'request: "',
  'subrequest: "',
  'upstream: "',
  'host: "',
  'referrer: "',
];
const CLIENT = 0;
const SERVER = 1;
/** Keys from this index on have a quoted value. */
const FIRST_QUOTED = 2;

interface Tail {
  /** Where the context starts (the `, ` before `client: `). */
  at: number;
  client: string | undefined;
  server: string | undefined;
  /** request, subrequest, upstream, host, referrer. */
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

/** line[from..to) holds no space, comma or quote (a client address, a server name). */
function isToken(line: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x20 || c === 0x22 || c === 0x2c) return false;
  }
  return true;
}

/** Which key below `below` starts at `p` (just after a `, `), or -1. */
function keyAt(line: string, p: number, below: number): number {
  for (let k = below - 1; k >= 0; k--) if (line.startsWith(KEYS[k], p)) return k;
  return -1;
}

/**
 * Reads the context from the right end of line[from..end), in nginx's order
 * read backwards: each `, key: ` found must come before the one found last,
 * and its value must fit (a quoted value ends at the quote before the next
 * key, a token has no space, comma or quote). A `, ` that does not fit is
 * part of a value. Text left of `, client: ` is the message: whatever it
 * holds can never become a field. One backward pass, no backtracking.
 * Returns undefined unless the context reaches its `client`.
 */
function readTail(line: string, from: number, end: number): Tail | undefined {
  const tail: Tail = { at: -1, client: undefined, server: undefined, quoted: [] };
  let below = KEYS.length;
  let at = end;
  while (at > from) {
    at = line.lastIndexOf(', ', at - 1);
    if (at < from) return undefined;
    const k = keyAt(line, at + 2, below);
    if (k === -1) continue;
    const start = at + 2 + KEYS[k].length;
    if (k >= FIRST_QUOTED) {
      if (end - 1 < start || line.charCodeAt(end - 1) !== 0x22) continue;
      tail.quoted[k - FIRST_QUOTED] = present(line.slice(start, end - 1));
    } else {
      if (!isToken(line, start, end)) continue;
      const value = present(line.slice(start, end));
      if (k === SERVER) tail.server = value;
      else tail.client = value;
    }
    if (k === CLIENT) {
      tail.at = at;
      return tail;
    }
    below = k;
    end = at;
  }
  return undefined;
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

    let tail = readTail(line, p, line.length);
    if (tail !== undefined && readTail(line, p, tail.at) !== undefined) {
      // The message itself ends in a whole context: text the client sent (a
      // Referer, a rejected request line) forged one of the two, and nothing
      // tells which. No field is taken from either; the line stays in event.original.
      tail = undefined;
    }
    const message = line.slice(p, tail === undefined ? line.length : tail.at);
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
