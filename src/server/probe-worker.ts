// The probe HTTP server, in a worker thread so it answers while the main event loop is
// blocked. /startupz /livez /readyz are judged from shared memory alone; any other path
// goes to the main thread and gets 503 "event loop blocked" if no reply comes in time.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
let stageNames: string[] = [];
let readyReason: string | undefined;
let nextId = 1;

const server = createServer((req, res) => {
  handle(req, res).catch((err: Error) => send(res, false, 500, { error: err.message }));
});
server.keepAliveTimeout = 5000;
server.on('error', (err: NodeJS.ErrnoException) =>
  post({ type: 'server-error', code: err.code, message: err.message }),
);
server.listen(setup.port, setup.host, () => {
  const a = server.address();
  if (a !== null && typeof a === 'object')
    post({ type: 'listening', host: a.address, port: a.port });
});

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
  if (path === '/startupz' || path === '/livez' || path === '/readyz') {
    if (req.method !== 'GET' && !head)
      return send(res, false, 405, { error: 'method not allowed' });
    const verdict = probe(path);
    return send(res, head, verdict.ok ? 200 : 503, verdict);
  }
  if (pending.size >= setup.maxPendingRequests) {
    return send(res, head, 503, { error: 'too many requests waiting for the main thread' });
  }
  let body: Buffer | undefined;
  if (req.method !== 'GET' && !head) {
    body = await readBody(req, setup.maxBodyBytes);
    if (body === undefined)
      return send(res, false, 413, { error: `body larger than ${setup.maxBodyBytes} bytes` });
  }
  const id = nextId++;
  const timer = setTimeout(() => {
    pending.delete(id);
    send(res, head, 503, { error: 'event loop blocked' });
  }, setup.requestTimeoutMs);
  pending.set(id, { res, head, timer });
  post({ type: 'request', id, method: req.method ?? 'GET', url, body });
}

function probe(path: string): Verdict {
  if (path === '/startupz') return startupVerdict(state);
  if (path === '/livez') return livenessVerdict(state, stageNames, Date.now(), limits);
  return readinessVerdict(state, readyReason);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk); // beyond max: drained and dropped, answered 413
    });
    req.on('end', () => resolve(size <= max ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, head: boolean, status: number, body: object): void {
  if (res.headersSent) return;
  const response = jsonResponse(status, body);
  res.writeHead(status, { ...response.headers, 'cache-control': 'no-store' });
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
