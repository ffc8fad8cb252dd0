// Builds the ECS access event from raw variable values held in slots. Keys are
// added in one fixed order so events of a format share hidden classes; absent
// values leave keys out. Returns undefined when a typed value is malformed.

import type { EcsEvent } from '../../pipeline/event.js';
import { isIP } from '../../net/ip.js';
import { protocolVersion, splitRequestLine, splitTarget } from './request-line.js';
import type { RequestLine, TargetParts } from './request-line.js';
import type { TimeParser } from './timestamp.js';
import { ABSENT, INVALID, isAbsent, isSingle, secondsToNs, text, uint } from './values.js';
import type { SlotValue } from './values.js';
import * as V from './variables.js';
import { setOwn } from '../../support/plain-object.js';

/** A variable logpod has no ECS name for: kept as `nginx.access.<name>`. */
export interface ExtraVariable {
  name: string;
  slot: number;
}

const request: RequestLine = { method: '', target: '', version: '' };
const target: TargetParts = { path: undefined, query: undefined };

function timestamp(s: SlotValue[], time: TimeParser): string | undefined | null {
  const msec = s[V.V_MSEC];
  const iso = s[V.V_TIME_ISO8601];
  const local = s[V.V_TIME_LOCAL];
  let out: string | undefined;
  if (!isAbsent(local)) {
    out = time.timeLocal(String(local));
    if (out === undefined) return null;
  }
  if (!isAbsent(iso)) {
    out = time.iso8601(String(iso));
    if (out === undefined) return null;
  }
  if (!isAbsent(msec)) {
    out = time.msec(String(msec));
    if (out === undefined) return null;
  }
  return out;
}

function remoteIpList(xff: string): string[] {
  const list: string[] = [];
  let from = 0;
  while (from <= xff.length) {
    let comma = xff.indexOf(',', from);
    if (comma === -1) comma = xff.length;
    const item = xff.slice(from, comma).trim();
    if (item !== '' && item !== '-') list.push(item);
    from = comma + 1;
  }
  return list;
}

function upstream(s: SlotValue[]): Record<string, unknown> | undefined {
  const address = text(s[V.V_UPSTREAM_ADDR]);
  const status = text(s[V.V_UPSTREAM_STATUS]);
  const response = text(s[V.V_UPSTREAM_RESPONSE_TIME]);
  const connect = text(s[V.V_UPSTREAM_CONNECT_TIME]);
  if (address === undefined && status === undefined && response === undefined) {
    if (connect === undefined) return undefined;
  }
  const up: Record<string, unknown> = {};
  if (address !== undefined) up.address = address;
  if (status !== undefined) {
    up.status = status;
    const code = isSingle(status) ? uint(status) : INVALID;
    if (code >= 0) up.status_code = code;
  }
  if (response !== undefined) {
    up.response_time = response;
    const ns = isSingle(response) ? secondsToNs(response) : INVALID;
    if (ns >= 0) up.response_time_ns = ns;
  }
  if (connect !== undefined) {
    up.connect_time = connect;
    const ns = isSingle(connect) ? secondsToNs(connect) : INVALID;
    if (ns >= 0) up.connect_time_ns = ns;
  }
  return up;
}

/** The event for one access line whose variables were read into `s`. */
export function buildAccessEvent(
  s: SlotValue[],
  extras: readonly ExtraVariable[],
  line: string,
  time: TimeParser,
): EcsEvent | undefined {
  const ts = timestamp(s, time);
  const status = uint(s[V.V_STATUS]);
  const bodyBytes = uint(s[V.V_BODY_BYTES_SENT]);
  const bytes = uint(s[V.V_BYTES_SENT]);
  const requestBytes = uint(s[V.V_REQUEST_LENGTH]);
  const connection = uint(s[V.V_CONNECTION]);
  const duration = secondsToNs(s[V.V_REQUEST_TIME]);
  const pipeRaw = s[V.V_PIPE];
  const pipe = pipeRaw === 'p' ? true : pipeRaw === '.' ? false : undefined;
  if (ts === null || status === INVALID || bodyBytes === INVALID || bytes === INVALID) return;
  if (requestBytes === INVALID || connection === INVALID || duration === INVALID) return;
  if (pipe === undefined && pipeRaw !== undefined && pipeRaw !== '-' && pipeRaw !== '') return;

  let method = text(s[V.V_REQUEST_METHOD]);
  const protocol = text(s[V.V_SERVER_PROTOCOL]);
  let version = protocol === undefined ? undefined : protocolVersion(protocol);
  let original = text(s[V.V_REQUEST_URI]);
  let unreadRequest: string | undefined;
  const req = text(s[V.V_REQUEST]);
  if (req !== undefined) {
    if (splitRequestLine(req, request)) {
      if (method === undefined) method = request.method;
      if (original === undefined) original = request.target;
      if (version === undefined && request.version !== '') version = request.version;
    } else {
      unreadRequest = req;
    }
  }
  let uri = text(s[V.V_URI]);
  let args = text(s[V.V_ARGS]);
  let path: string | undefined;
  let query: string | undefined;
  if (original !== undefined) {
    splitTarget(original, target);
    path = target.path;
    query = target.query;
  } else {
    path = uri;
    query = args;
    uri = undefined;
    args = undefined;
  }
  const host = text(s[V.V_HOST]);
  let serverName = text(s[V.V_SERVER_NAME]);
  const domain = host ?? serverName;
  if (host === undefined) serverName = undefined;

  const ev: Record<string, unknown> = {};
  if (ts !== undefined) ev['@timestamp'] = ts;
  const address = text(s[V.V_REMOTE_ADDR]);
  if (address !== undefined) ev.source = isIP(address) ? { address, ip: address } : { address };
  const user = text(s[V.V_REMOTE_USER]);
  if (user !== undefined) ev.user = { name: user };

  const referrer = text(s[V.V_HTTP_REFERER]);
  const hasRequest = method !== undefined || requestBytes >= 0 || referrer !== undefined;
  const hasResponse = status >= 0 || bodyBytes >= 0 || bytes >= 0;
  if (hasRequest || hasResponse || version !== undefined) {
    const http: Record<string, unknown> = {};
    if (hasRequest) {
      const r: Record<string, unknown> = {};
      if (method !== undefined) r.method = method;
      if (requestBytes >= 0) r.bytes = requestBytes;
      if (referrer !== undefined) r.referrer = referrer;
      http.request = r;
    }
    if (version !== undefined) http.version = version;
    if (hasResponse) {
      const r: Record<string, unknown> = {};
      if (status >= 0) r.status_code = status;
      if (bodyBytes >= 0) r.body = { bytes: bodyBytes };
      if (bytes >= 0) r.bytes = bytes;
      http.response = r;
    }
    ev.http = http;
  }

  const scheme = text(s[V.V_SCHEME]);
  if (original !== undefined || path !== undefined || query !== undefined) {
    const url: Record<string, unknown> = {};
    if (original !== undefined) url.original = original;
    if (path !== undefined) url.path = path;
    if (query !== undefined) url.query = query;
    if (scheme !== undefined) url.scheme = scheme;
    if (domain !== undefined) url.domain = domain;
    ev.url = url;
  } else if (scheme !== undefined || domain !== undefined) {
    ev.url =
      scheme === undefined ? { domain } : domain === undefined ? { scheme } : { scheme, domain };
  }
  const agent = text(s[V.V_HTTP_USER_AGENT]);
  if (agent !== undefined) ev.user_agent = { original: agent };

  const access: Record<string, unknown> = {};
  let hasAccess = false;
  const xff = text(s[V.V_HTTP_X_FORWARDED_FOR]);
  const ips = xff === undefined ? undefined : remoteIpList(xff);
  if (ips !== undefined && ips.length > 0) {
    access.remote_ip_list = ips;
    hasAccess = true;
  }
  const up = upstream(s);
  if (up !== undefined) {
    access.upstream = up;
    hasAccess = true;
  }
  if (connection >= 0) {
    access.connection = connection;
    hasAccess = true;
  }
  if (pipe !== undefined) {
    access.pipe = pipe;
    hasAccess = true;
  }
  if (unreadRequest !== undefined) {
    access.request = unreadRequest;
    hasAccess = true;
  }
  if (uri !== undefined) {
    access.uri = uri;
    hasAccess = true;
  }
  if (args !== undefined) {
    access.args = args;
    hasAccess = true;
  }
  if (serverName !== undefined) {
    access.server_name = serverName;
    hasAccess = true;
  }
  for (let i = 0; i < extras.length; i++) {
    const v = text(s[extras[i].slot]);
    if (v !== undefined) {
      setOwn(access, extras[i].name, v);
      hasAccess = true;
    }
  }
  if (hasAccess) ev.nginx = { access };

  ev.event =
    duration === ABSENT
      ? { original: line, dataset: 'nginx.access' }
      : { original: line, duration, dataset: 'nginx.access' };
  return ev as EcsEvent;
}
