// Reads JSON access lines (`log_format ... escape=json`). Keys named like nginx
// variables (or the same ECS names) go through the access event builder; other
// ECS dotted keys are placed as is; anything else lands in nginx.access.<key>.

import type { EcsEvent } from '../../pipeline/event.js';
import { buildAccessEvent } from './access-event.js';
import { parseFailure } from './failure.js';
import { isIP } from '../../net/ip.js';
import type { TimeParser } from './timestamp.js';
import { INVALID, text, uint } from './values.js';
import type { SlotValue } from './values.js';
import * as V from './variables.js';
import { isPlainObject, setOwn } from '../../support/plain-object.js';

/** ECS names that mean exactly what an nginx variable means. */
const ECS_SLOTS: ReadonlyMap<string, number> = new Map([
  ['@timestamp', V.V_TIME_ISO8601],
  ['source.address', V.V_REMOTE_ADDR],
  ['user.name', V.V_REMOTE_USER],
  ['http.request.method', V.V_REQUEST_METHOD],
  ['url.original', V.V_REQUEST_URI],
  ['http.version', V.V_SERVER_PROTOCOL],
  ['url.scheme', V.V_SCHEME],
  ['url.domain', V.V_HOST],
  ['http.response.status_code', V.V_STATUS],
  ['http.response.body.bytes', V.V_BODY_BYTES_SENT],
  ['http.response.bytes', V.V_BYTES_SENT],
  ['http.request.bytes', V.V_REQUEST_LENGTH],
  ['http.request.referrer', V.V_HTTP_REFERER],
  ['user_agent.original', V.V_HTTP_USER_AGENT],
]);

const ECS_ROOTS = new Set([
  'agent', 'client', 'cloud', 'container', 'destination', 'error', 'event', 'file', 'geo',
  'host', 'http', 'kubernetes', 'labels', 'log', 'network', 'nginx', 'observer',
  'orchestrator', 'process', 'server', 'service', 'source', 'span', 'tls', 'trace',
  'transaction', 'url', 'user', 'user_agent',
]); // prettier-ignore

/** Set by the pipeline or by the parser itself: a line cannot override them. */
const RESERVED = new Set([
  'event.original', 'event.id', 'event.dataset', 'log.file.path', 'log.offset', 'nginx.access',
]); // prettier-ignore

const NUMERIC = new Set([
  'event.duration', 'source.port', 'client.port', 'destination.port', 'server.port',
  'process.pid', 'process.thread.id', 'client.bytes', 'server.bytes',
]); // prettier-ignore

const IP_FIELDS = new Set(['source.ip', 'client.ip', 'destination.ip', 'server.ip', 'host.ip']);

/** Slot of a key, or -1. Accepts `remote_addr`, `$remote_addr` and ECS names. */
function slotOf(key: string): number {
  const name = key.charCodeAt(0) === 0x24 ? key.slice(1) : key;
  return V.KNOWN_VARIABLES.get(name) ?? ECS_SLOTS.get(key) ?? -1;
}

function isEcsKey(key: string): boolean {
  if (key === 'message') return true;
  const dot = key.indexOf('.');
  return dot > 0 && ECS_ROOTS.has(key.slice(0, dot)) && !RESERVED.has(key);
}

/** A numeric `@timestamp` is epoch milliseconds, as Elasticsearch reads it. */
function epochMsIso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : 'invalid';
}

/** Objects nested deeper than this make the line a failure: encoding them would overflow the stack. */
const MAX_DEPTH = 16;

/** True when `v` nests objects/arrays more than `left` levels (recursion stops there). */
function tooDeep(v: unknown, left: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (left === 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (tooDeep(v[i], left - 1)) return true;
    return false;
  }
  for (const k in v) if (tooDeep((v as Record<string, unknown>)[k], left - 1)) return true;
  return false;
}

/**
 * JSON has no `\x` escape, but invalid UTF-8 reaches us as `\xHH` text (and
 * formats without escape=json write `\x22`): double such backslashes so the
 * text survives JSON.parse. Escaped pairs like `\\` are skipped as a unit.
 */
function protectHexEscapes(line: string): string {
  let out = '';
  let copied = 0;
  let i = line.indexOf('\\');
  while (i !== -1) {
    if (line.charCodeAt(i + 1) === 0x78) {
      out += line.slice(copied, i) + '\\';
      copied = i;
    }
    i = line.indexOf('\\', i + 2);
  }
  return copied === 0 ? line : out + line.slice(copied);
}

/** Places `value` at a dotted path; false (and nothing changed) on a conflict. */
function setPath(root: Record<string, unknown>, key: string, value: unknown): boolean {
  let obj = root;
  let from = 0;
  let dot = key.indexOf('.');
  while (dot !== -1) {
    if (dot === from) return false;
    const seg = key.slice(from, dot);
    const child = Object.hasOwn(obj, seg) ? obj[seg] : undefined;
    if (child === undefined) {
      const created: Record<string, unknown> = {};
      setOwn(obj, seg, created);
      obj = created;
    } else if (isPlainObject(child)) {
      obj = child;
    } else {
      return false;
    }
    from = dot + 1;
    dot = key.indexOf('.', from);
  }
  const last = key.slice(from);
  if (last === '' || isPlainObject(Object.hasOwn(obj, last) ? obj[last] : undefined)) return false;
  setOwn(obj, last, value);
  return true;
}

function accessOf(ev: Record<string, unknown>): Record<string, unknown> {
  let nginx = ev.nginx as Record<string, unknown> | undefined;
  if (nginx === undefined) {
    nginx = {};
    ev.nginx = nginx;
  }
  let access = nginx.access as Record<string, unknown> | undefined;
  if (access === undefined) {
    access = {};
    nginx.access = access;
  }
  return access;
}

export class JsonLineParser {
  private readonly slots: SlotValue[] = new Array<SlotValue>(V.KNOWN_VARIABLE_COUNT);

  constructor(private readonly time: TimeParser) {}

  parse(line: string): EcsEvent {
    try {
      return this.read(line);
    } catch {
      // Unreachable by design; should a bug throw, the line still goes on.
      return parseFailure(line, 'nginx.access');
    }
  }

  private read(line: string): EcsEvent {
    const obj = this.decode(line);
    if (obj === undefined) return parseFailure(line, 'nginx.access');
    const slots = this.slots;
    slots.fill(undefined);
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]];
      const slot = slotOf(keys[i]);
      if (slot < 0) continue;
      if (typeof v === 'string') slots[slot] = v;
      else if (typeof v === 'boolean') slots[slot] = String(v);
      else if (typeof v === 'number') slots[slot] = slot === V.V_TIME_ISO8601 ? epochMsIso(v) : v;
    }
    const ev = buildAccessEvent(slots, [], line, this.time) as Record<string, unknown> | undefined;
    if (ev === undefined) return parseFailure(line, 'nginx.access');
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = obj[key];
      if (v === null || (slotOf(key) >= 0 && typeof v !== 'object')) continue;
      const value = typeof v === 'string' ? text(v) : v;
      if (value === undefined) continue;
      if (isEcsKey(key)) {
        let placed: unknown = value;
        if (NUMERIC.has(key)) {
          const n = typeof value === 'string' || typeof value === 'number' ? uint(value) : INVALID;
          if (n === INVALID) return parseFailure(line, 'nginx.access');
          placed = n;
        }
        // An ip field Elasticsearch would reject stays under nginx.access instead.
        const badIp = IP_FIELDS.has(key) && (typeof value !== 'string' || !isIP(value));
        if (!badIp && setPath(ev, key, placed)) continue;
      }
      setOwn(accessOf(ev), key, value);
    }
    return ev as EcsEvent;
  }

  /** The line's JSON object, or undefined when it is not one. */
  private decode(line: string): Record<string, unknown> | undefined {
    let i = 0;
    while (i < line.length && line.charCodeAt(i) <= 0x20) i++;
    if (line.charCodeAt(i) !== 0x7b) return undefined;
    try {
      const v: unknown = JSON.parse(line.indexOf('\\x') === -1 ? line : protectHexEscapes(line));
      return isPlainObject(v) && !tooDeep(v, MAX_DEPTH) ? v : undefined;
    } catch {
      return undefined;
    }
  }
}
