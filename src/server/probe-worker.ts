// The probe HTTP server, in a worker thread so it answers while the main event loop is
// blocked. /startupz /livez /readyz are judged from shared memory alone; any other path
// goes to the main thread and gets 503 "event loop blocked" if no reply comes in time.
// Private paths pass the checks of access.ts first. Bounded: connections are capped (a new
// one closes the oldest idle or unfinished one, so probes get through a flood), bodies are
// refused by their declared length, and slow headers or bodies time out.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PUBLIC_PATHS, authorizationMatches, hostHeaderName, isLoopbackAddress } from './access.js';
import { parentPort, workerData } from 'node:worker_threads';
import { jsonResponse, splitUrl } from './http.js';
import { type FromWorker, type ToWorker, type WorkerSetup } from './probe-messages.js';
import {
  ProbeState,
  livenessVerdict,
  readinessVerdict,
  startupVerdict,
  type Verdict,
} from './probe-state.js';

interface Pending {
  res: ServerResponse;
  head: boolean;
  timer: NodeJS.Timeout;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const state = new ProbeState(setup.buffer);
const limits = {
  eventLoopBlockedMs: setup.eventLoopBlockedMs,
  stageStalledMs: setup.stageStalledMs,
};
const pending = new Map<number, Pending>();
const allowedHosts = new Set(setup.allowedHosts);
const tokenDigest = setup.tokenDigest && Buffer.from(setup.tokenDigest);
/** Open connections, oldest first; true while one of its requests is being answered. */
const sockets = new Map<Socket, boolean>();
let stageNames: string[] = [];
let readyReason: string | undefined;
let nextId = 1;

const server = createServer(
  {
    headersTimeout: setup.headersTimeoutMs,
    requestTimeout: setup.headersTimeoutMs + setup.bodyTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, setup.headersTimeoutMs),
    maxHeaderSize: 8 * 1024,
  },
  (req, res) => {
    handle(req, res).catch((err: Error) => send(res, false, 500, { error: err.message }));
  },
);
server.keepAliveTimeout = 5000;
server.on('connection', (socket: Socket) => {
  sockets.set(socket, false);
  socket.once('close', () => sockets.delete(socket));
  if (sockets.size > setup.maxConnections) evictFor(socket);
});
// A client that waits for "100 Continue" before sending a large body never gets it.
server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
  if (tooLarge(req)) return refuseBody(res);
  res.writeContinue();
  server.emit('request', req, res);
});
server.on('error', (err: NodeJS.ErrnoException) =>
  post({ type: 'server-error', code: err.code, message: err.message }),
);
server.listen(setup.port, setup.host, () => {
  const a = server.address();
  if (a !== null && typeof a === 'object')
    post({ type: 'listening', host: a.address, port: a.port });
});

/** Over the cap: close the oldest connection not being answered (idle, slow), else the new one. */
function evictFor(newest: Socket): void {
  for (const [socket, busy] of sockets) {
    if (!busy && socket !== newest) {
      socket.destroy();
      sockets.delete(socket);
      return;
    }
  }
  newest.destroy();
  sockets.delete(newest);
}

function markBusy(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  if (!sockets.has(socket)) return;
  sockets.set(socket, true);
  res.once('close', () => {
    if (sockets.has(socket)) sockets.set(socket, false);
  });
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'labels':
      stageNames = msg.stages;
      readyReason = msg.readyReason;
      break;
    case 'response': {
      const p = pending.get(msg.id);
      if (p === undefined) return; // already answered 503 on timeout
      pending.delete(msg.id);
      clearTimeout(p.timer);
      p.res.writeHead(msg.status, { 'cache-control': 'no-store', ...msg.headers });
      p.res.end(p.head ? undefined : msg.body);
      break;
    }
    case 'stop':
      stop();
      break;
  }
});

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const { path } = splitUrl(url);
  const head = req.method === 'HEAD';
  if (tooLarge(req)) return refuseBody(res);
  if (path === '/startupz' || path === '/livez' || path === '/readyz') {
    markBusy(req, res);
    if (req.method !== 'GET' && !head)
      return send(res, false, 405, { error: 'method not allowed' });
    const verdict = probe(path);
    return send(res, head, verdict.ok ? 200 : 503, verdict);
  }
  if (!PUBLIC_PATHS.has(path) && !admitted(req, res, head)) return;
  if (pending.size >= setup.maxPendingRequests) {
    return send(res, head, 503, { error: 'too many requests waiting for the main thread' });
  }
  let body: Buffer | undefined;
  if (req.method !== 'GET' && !head) {
    body = await readBody(req, setup.maxBodyBytes);
    if (body === undefined) return refuseBody(res);
  }
  markBusy(req, res);
  const id = nextId++;
  const timer = setTimeout(() => {
    pending.delete(id);
    send(res, head, 503, { error: 'event loop blocked' });
  }, setup.requestTimeoutMs);
  pending.set(id, { res, head, timer });
  post({ type: 'request', id, method: req.method ?? 'GET', url, body });
}

/**
 * A private path (the dashboard, its API, /status): the Host must be one we answer to,
 * and the connection made to loopback or the token presented. Otherwise answered here.
 */
function admitted(req: IncomingMessage, res: ServerResponse, head: boolean): boolean {
  const host = hostHeaderName(req.headers.host);
  if (host === undefined || !allowedHosts.has(host)) {
    send(res, head, 421, {
      error: 'this Host is not one logpod answers to; add it to server.allowed_hosts',
    });
    return false;
  }
  if (isLoopbackAddress(req.socket.localAddress)) return true;
  if (tokenDigest !== undefined) {
    if (authorizationMatches(req.headers.authorization, tokenDigest)) return true;
    send(
      res,
      head,
      401,
      { error: 'a token is required (server.auth)' },
      {
        'www-authenticate': 'Basic realm="logpod", charset="UTF-8"',
      },
    );
    return false;
  }
  send(res, head, 403, {
    error:
      'the dashboard and /status answer on loopback only (kubectl port-forward); ' +
      'set server.auth to open them to others',
  });
  return false;
}

function probe(path: string): Verdict {
  if (path === '/startupz') return startupVerdict(state);
  if (path === '/livez') return livenessVerdict(state, stageNames, Date.now(), limits);
  return readinessVerdict(state, readyReason);
}

function tooLarge(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length !== undefined && !(Number(length) <= setup.maxBodyBytes);
}

/** 413 at once and the connection closed: the body is neither read nor drained. */
function refuseBody(res: ServerResponse): void {
  send(
    res,
    false,
    413,
    { error: `body larger than ${setup.maxBodyBytes} bytes` },
    {
      connection: 'close',
    },
  );
  res.once('finish', () => res.socket?.destroy());
}

/** The body, or undefined as soon as it grows beyond `max` (a chunked body has no length). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  head: boolean,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const response = jsonResponse(status, body);
  res.writeHead(status, { ...response.headers, 'cache-control': 'no-store', ...headers });
  res.end(head ? undefined : response.body);
}

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function stop(): void {
  for (const [id, p] of pending) {
    clearTimeout(p.timer);
    send(p.res, p.head, 503, { error: 'shutting down' });
    pending.delete(id);
  }
  server.close(() => port.close());
  server.closeAllConnections();
}
