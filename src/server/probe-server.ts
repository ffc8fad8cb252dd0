// The operations HTTP server: probes, /metrics, /status. The listener lives in a worker
// thread (probe-worker.ts); this main-thread half writes a heartbeat, each stage's state
// and the readiness verdict into shared memory, and answers the requests forwarded to it.

import { Worker } from 'node:worker_threads';
import { parseHostPort, type HostPort } from '../config/address.js';
import { allowedHostNames, tokenDigest } from './access.js';
import { ErrorCodes, LogpodError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MetricsRegistry } from '../metrics/metrics.js';
import { packageVersion } from '../support/package-version.js';
import {
  routeMainRequest,
  type MainRoutes,
  type RequestHook,
  type RouteResult,
} from './main-routes.js';
import {
  JSON_TYPE,
  type FromWorker,
  type HttpRequest,
  type ToWorker,
  type WorkerSetup,
} from './probe-messages.js';
import {
  MAX_STAGES,
  ProbeState,
  livenessVerdict,
  readinessVerdict,
  startupVerdict,
  type StageState,
} from './probe-state.js';
import { buildStatus, type StatusDocument } from './status-document.js';

export type { HttpRequest, HttpResponse } from './probe-messages.js';
export type { RequestHook } from './main-routes.js';
export type { StageState, Verdict } from './probe-state.js';

/** A pipeline stage as liveness sees it: 'working' must move progress(); 'waiting' on a
 * downstream dependency (Kafka, Elasticsearch down) is not wedged. */
export interface StageProbe {
  name: string;
  state(): StageState;
  progress(): number;
}

export type Readiness = boolean | { ready: boolean; reason?: string };

export interface ProbeServerOptions {
  /** HOST:PORT (server.listen); port 0 picks a free port. */
  listen: string;
  /** /livez fails when the main thread missed its heartbeat this long (default 5000). */
  eventLoopBlockedMs?: number;
  /** /livez fails when a 'working' stage made no progress this long (default 60000). */
  stageStalledMs?: number;
  /** How often the main thread writes its heartbeat and stage states (default 250). */
  heartbeatMs?: number;
  /** How often readiness() is evaluated (default 1000). */
  readinessIntervalMs?: number;
  /** A readiness() still pending after this long counts as not ready (default 10000). */
  readinessTimeoutMs?: number;
  /** Forwarded requests unanswered after this long get 503 "event loop blocked" (default 2000). */
  requestTimeoutMs?: number;
  /** Evaluated on the main thread; /readyz answers its last result. */
  readiness: () => Promise<Readiness> | Readiness;
  /** Extra /status sections (outputs, role...); counters and files come from `metrics`. */
  status?: () => Record<string, unknown>;
  metrics: MetricsRegistry;
  /** Shown in /status (default: package.json's version). */
  version?: string;
  /** Routes beyond the built-in ones, on the main thread; undefined means 404. */
  onRequest?: RequestHook;
  /**
   * Who reads the private paths (all but probes and /metrics): connections made to loopback,
   * and others presenting `token`; Host names beyond the defaults of access.ts.
   */
  access?: { token?: string; allowedHosts?: readonly string[] };
  /** HTTP bounds; tests shorten them. */
  http?: Partial<HttpLimits>;
}

export interface HttpLimits {
  /** Open connections at most (default 64). */
  maxConnections: number;
  /** Bodies beyond this are refused with 413 (default 64 KiB; no route takes one today). */
  maxBodyBytes: number;
  /** Headers must arrive within this (default 5000), the body within this more (default 5000). */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

const HTTP_DEFAULTS: HttpLimits = {
  maxConnections: 64,
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 5000,
  bodyTimeoutMs: 5000,
};

interface TrackedStage {
  probe: StageProbe;
  state: StageState;
  progress: number;
  since: number;
}

export class ProbeServer {
  private readonly state = new ProbeState();
  private readonly stages: TrackedStage[] = [];
  /** When the process started: /status uptime is the process's. */
  private readonly startedAt = Date.now() - Math.round(process.uptime() * 1000);
  private readonly limits: { eventLoopBlockedMs: number; stageStalledMs: number };
  private readonly timing: {
    heartbeatMs: number;
    readinessIntervalMs: number;
    readinessTimeoutMs: number;
    requestTimeoutMs: number;
  };
  private readonly version: string;
  private readonly routes: MainRoutes;
  private readyReason: string | undefined = 'starting';
  private readinessSince: number | undefined;
  private worker: Worker | undefined;
  private workerExited: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;

  constructor(
    private readonly options: ProbeServerOptions,
    private readonly logger: Logger,
  ) {
    this.limits = {
      eventLoopBlockedMs: options.eventLoopBlockedMs ?? 5000,
      stageStalledMs: options.stageStalledMs ?? 60_000,
    };
    this.timing = {
      heartbeatMs: options.heartbeatMs ?? 250,
      readinessIntervalMs: options.readinessIntervalMs ?? 1000,
      readinessTimeoutMs: options.readinessTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 2000,
    };
    this.version = options.version ?? packageVersion();
    this.routes = {
      metrics: async () => ({
        contentType: options.metrics.contentType,
        text: await options.metrics.render(),
      }),
      status: () => this.status(),
      onRequest: options.onRequest,
      // off by default: the debug switch exists for tests only (see main-routes.ts)
      debugEndpoints: process.env.LOGPOD_DEBUG_ENDPOINTS === '1',
    };
    this.state.beat(Date.now());
  }

  addStage(probe: StageProbe): void {
    if (this.stages.length >= MAX_STAGES) {
      throw new Error(`at most ${MAX_STAGES} stages can be probed`);
    }
    this.stages.push({ probe, state: 'idle', progress: 0, since: Date.now() });
    this.state.setStageCount(this.stages.length);
    this.sampleStages(Date.now());
    this.sendLabels();
  }

  /** Startup is done: /startupz answers 200 from now on, readiness is checked at once. */
  markStarted(): void {
    this.state.markStarted();
    void this.checkReadiness();
  }

  async start(): Promise<HostPort> {
    if (this.worker !== undefined || this.stopping) throw new Error('probe server started twice');
    const { host, port } = parseHostPort(this.options.listen);
    const access = this.options.access ?? {};
    const http: HttpLimits = { ...HTTP_DEFAULTS, ...this.options.http };
    const setup: WorkerSetup = {
      buffer: this.state.buffer,
      host,
      port,
      ...this.limits,
      requestTimeoutMs: this.timing.requestTimeoutMs,
      ...http,
      // Half the connections at most wait on the main thread: those are never closed to
      // make room, so the other half stays free for probes while the event loop is blocked.
      maxPendingRequests: Math.max(1, Math.floor(http.maxConnections / 2)),
      allowedHosts: allowedHostNames(host, access.allowedHosts ?? []),
      tokenDigest: access.token === undefined ? undefined : tokenDigest(access.token),
    };
    this.tick();
    this.timers.push(setInterval(() => this.tick(), this.timing.heartbeatMs).unref());
    this.timers.push(
      setInterval(() => void this.checkReadiness(), this.timing.readinessIntervalMs).unref(),
    );
    // From dist/ this file is .js and so is the worker; from source (tap, a TS loader)
    // it is .ts and the worker inherits this process's execArgv, hence the same loader.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    const worker = new Worker(new URL(`./probe-worker.${ext}`, import.meta.url), {
      workerData: setup,
      name: 'logpod-probes',
    });
    this.worker = worker;
    this.workerExited = new Promise((resolve) => worker.once('exit', () => resolve()));
    this.sendLabels();
    try {
      let listening = false;
      const address = await new Promise<HostPort>((resolve, reject) => {
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'request') void this.answer(msg);
          else if (msg.type === 'listening') resolve({ host: msg.host, port: msg.port });
          else if (!listening) reject(new Error(msg.message));
          else {
            // The worker's error arrives as plain fields: made an Error again for the log.
            const err = Object.assign(new Error(msg.message), { code: msg.code });
            this.logger.error({ err }, 'probe server error');
          }
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`probe worker exited with code ${code}`)));
      });
      worker.on('error', (err) => this.logger.error({ err }, 'probe server failed'));
      worker.on('exit', (code) => {
        if (this.stopping) return;
        this.logger.error({ code }, 'probe server stopped unexpectedly: probes will fail');
      });
      listening = true;
      this.logger.info({ address: `${address.host}:${address.port}` }, 'probe server listening');
      return address;
    } catch (cause) {
      await this.stop();
      const message = `cannot serve on ${this.options.listen}: ${(cause as Error).message}`;
      throw new LogpodError(ErrorCodes.SERVER_LISTEN, message, { cause });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    this.post(worker, { type: 'stop' });
    const fallback = setTimeout(() => void worker.terminate(), 2000);
    await this.workerExited;
    clearTimeout(fallback);
  }

  /** The probes as the main thread sees them now (the worker uses the same rules). */
  probes(): StatusDocument['probes'] {
    const now = Date.now();
    return {
      startup: startupVerdict(this.state),
      live: livenessVerdict(this.state, this.stageNames(), now, this.limits),
      ready: readinessVerdict(this.state, this.readyReason),
    };
  }

  status(): StatusDocument {
    const now = Date.now();
    return buildStatus({
      version: this.version,
      startedAt: this.startedAt,
      now,
      probes: this.probes(),
      stages: this.stages.map((s) => ({
        name: s.probe.name,
        state: s.state,
        progress: s.progress,
        unchanged_ms: now - s.since,
      })),
      metrics: this.options.metrics.snapshot(),
      extra: this.options.status?.() ?? {},
    });
  }

  private tick(): void {
    const now = Date.now();
    this.sampleStages(now);
    this.state.beat(now);
  }

  private sampleStages(now: number): void {
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i];
      let state: StageState;
      let progress: number;
      try {
        state = s.probe.state();
        progress = s.probe.progress();
      } catch (err) {
        // a probe that throws counts as work without progress
        this.logger.warn({ err, stage: s.probe.name }, 'stage probe failed');
        state = 'working';
        progress = s.progress;
      }
      if (state !== s.state || progress !== s.progress) {
        s.state = state;
        s.progress = progress;
        s.since = now;
      }
      this.state.setStage(i, s.state, s.since);
    }
  }

  private async checkReadiness(): Promise<void> {
    const now = Date.now();
    if (this.readinessSince !== undefined) {
      if (now - this.readinessSince > this.timing.readinessTimeoutMs) {
        this.setReady(
          false,
          `readiness check has not answered for ${now - this.readinessSince} ms`,
        );
      }
      return;
    }
    if (!this.state.started()) return;
    this.readinessSince = now;
    try {
      const r = await this.options.readiness();
      if (typeof r === 'boolean') this.setReady(r, r ? undefined : 'not ready');
      else this.setReady(r.ready, r.reason ?? (r.ready ? undefined : 'not ready'));
    } catch (err) {
      this.setReady(false, `readiness check failed: ${(err as Error).message}`);
    } finally {
      this.readinessSince = undefined;
    }
  }

  private setReady(ready: boolean, reason: string | undefined): void {
    this.state.setReady(ready);
    if (reason !== this.readyReason) {
      this.readyReason = reason;
      this.sendLabels();
    }
  }

  /** A request the worker forwarded: route it here, hand the response back by its id. */
  private async answer(msg: Extract<FromWorker, { type: 'request' }>): Promise<void> {
    const req: HttpRequest = { method: msg.method, url: msg.url, body: toBuffer(msg.body) };
    let result: RouteResult;
    try {
      result = await routeMainRequest(req, this.routes);
    } catch (err) {
      this.logger.error({ err, url: req.url }, 'request handler failed');
      const body = `${JSON.stringify({ error: (err as Error).message })}\n`;
      result = { response: { status: 500, headers: { 'content-type': JSON_TYPE }, body } };
    }
    const { status, headers, body } = result.response;
    if (this.worker)
      this.post(this.worker, { type: 'response', id: msg.id, status, headers, body });
    if (result.after) setImmediate(result.after);
  }

  private stageNames(): string[] {
    return this.stages.map((s) => s.probe.name);
  }

  private sendLabels(): void {
    if (this.worker)
      this.post(this.worker, {
        type: 'labels',
        stages: this.stageNames(),
        readyReason: this.readyReason,
      });
  }

  private post(worker: Worker, msg: ToWorker): void {
    worker.postMessage(msg);
  }
}

function toBuffer(body: Uint8Array | undefined): Buffer | undefined {
  return body === undefined
    ? undefined
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
