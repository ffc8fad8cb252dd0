// What the probe worker and the main thread say to each other. Probes are answered in
// the worker from shared memory; every other request travels to the main thread as a
// RequestMessage and comes back as a ResponseMessage carrying the same id.

/** A request as handlers on the main thread see it. */
export interface HttpRequest {
  method: string;
  /** Path and query, as sent ("/metrics", "/debug/block?ms=500"). */
  url: string;
  body?: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Settled once, at construction, and handed to the worker as workerData. */
export interface WorkerSetup {
  buffer: SharedArrayBuffer;
  host: string;
  port: number;
  eventLoopBlockedMs: number;
  stageStalledMs: number;
  requestTimeoutMs: number;
  /** A body declared or sent beyond this is refused with 413 and the connection closed. */
  maxBodyBytes: number;
  maxPendingRequests: number;
  /** Open connections at most; one more closes the oldest that is not being answered. */
  maxConnections: number;
  /** A client must send its headers within this, and its whole request within the next. */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Host header names the private paths answer to (see access.ts). */
  allowedHosts: string[];
  /** sha256 of the server.auth token; undefined = private paths on loopback only. */
  tokenDigest?: Uint8Array;
}

export type ToWorker =
  | { type: 'labels'; stages: string[]; readyReason?: string }
  | {
      type: 'response';
      id: number;
      status: number;
      headers?: Record<string, string>;
      body: string | Uint8Array;
    }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'listening'; host: string; port: number }
  | { type: 'server-error'; code?: string; message: string }
  | { type: 'request'; id: number; method: string; url: string; body?: Uint8Array };

export const JSON_TYPE = 'application/json; charset=utf-8';
