// The small HTTP pieces every route of the probe server shares: a request
// URL split into path and query, and a JSON response (one line, or indented
// for people; never sniffed as another type by a browser).

import { JSON_TYPE, type HttpResponse } from './probe-messages.js';

/** "/status?x=1" -> { path: "/status", query: "x=1" }; query is '' when there is none. */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': JSON_TYPE,
  'x-content-type-options': 'nosniff',
};

export function jsonResponse(status: number, body: unknown, indent?: number): HttpResponse {
  return { status, headers: { ...JSON_HEADERS }, body: `${JSON.stringify(body, null, indent)}\n` };
}
