// Requests the probe worker forwards to the main thread: /metrics, /status, the
// owner's extra routes (onRequest), and the debug switch that blocks the event loop.
// A route may return an `after` action, run once its response has been handed back.

import { jsonResponse, splitUrl } from './http.js';
import type { HttpRequest, HttpResponse } from './probe-messages.js';

export type RequestHook = (req: HttpRequest) => Promise<HttpResponse | undefined>;

export interface RouteResult {
  response: HttpResponse;
  after?: () => void;
}

export interface MainRoutes {
  metrics(): Promise<{ contentType: string; text: string }>;
  status(): unknown;
  onRequest?: RequestHook;
  /**
   * POST /debug/block?ms=N busy-waits the main thread for N ms (after answering 202),
   * so tests can watch /livez fail. Off unless LOGPOD_DEBUG_ENDPOINTS=1: never in production.
   */
  debugEndpoints: boolean;
}

const MAX_BLOCK_MS = 60_000;

export async function routeMainRequest(req: HttpRequest, routes: MainRoutes): Promise<RouteResult> {
  const { path, query } = splitUrl(req.url);
  const readOnly = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/metrics') {
    if (!readOnly) return { response: jsonResponse(405, { error: 'method not allowed' }) };
    const m = await routes.metrics();
    return { response: { status: 200, headers: { 'content-type': m.contentType }, body: m.text } };
  }
  if (path === '/status') {
    if (!readOnly) return { response: jsonResponse(405, { error: 'method not allowed' }) };
    return { response: jsonResponse(200, routes.status(), 2) };
  }
  if (path === '/debug/block' && routes.debugEndpoints) {
    if (req.method !== 'POST')
      return { response: jsonResponse(405, { error: 'method not allowed' }) };
    const ms = Number(new URLSearchParams(query).get('ms'));
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_BLOCK_MS) {
      return {
        response: jsonResponse(400, { error: `ms must be an integer from 1 to ${MAX_BLOCK_MS}` }),
      };
    }
    return { response: jsonResponse(202, { blocking_ms: ms }), after: () => busyWait(ms) };
  }
  const extra = routes.onRequest ? await routes.onRequest(req) : undefined;
  return { response: extra ?? jsonResponse(404, { error: 'not found' }) };
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin: the point is to hold the event loop
  }
}
