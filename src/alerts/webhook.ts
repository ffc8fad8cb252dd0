// Alert notifications POSTed as JSON with node's fetch, one at a time from a
// bounded queue, each attempt under a timeout, retried a bounded number of
// times on network errors, 408, 429 and 5xx. The URL may hold a secret: logs
// only ever show its scheme and host.

import { redactUrlPath } from '../config/redact.js';
import type { Logger } from '../logger.js';
import { RateLimitedLog } from '../support/rate-limited-log.js';

export interface WebhookOptions {
  url: string;
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  headers: Readonly<Record<string, string>>;
  /** Delay before the first retry, doubling after. */
  backoffMs?: number;
  /** Notifications waiting beyond this are dropped, oldest first, and counted. */
  maxQueue?: number;
}

export interface WebhookStats {
  sent: number;
  failed: number;
  dropped: number;
}

export class WebhookNotifier {
  readonly stats: WebhookStats = { sent: 0, failed: 0, dropped: 0 };
  /** Safe to log. */
  readonly target: string;
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly queue: string[] = [];
  private readonly warnings: RateLimitedLog;
  private draining: Promise<void> | undefined;
  private readonly closing = new AbortController();

  constructor(
    private readonly options: WebhookOptions,
    logger: Logger,
  ) {
    this.target = redactUrlPath(options.url);
    this.warnings = new RateLimitedLog(logger, 60_000);
    this.headers = { 'content-type': 'application/json', ...options.headers };
    // fetch refuses URLs with credentials: user:password@ becomes Basic authentication.
    const url = new URL(options.url);
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      this.headers.authorization ??= `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.url = url.href;
  }

  /** Queues a notification; delivery happens in the background. */
  send(payload: unknown): void {
    if (this.closing.signal.aborted) return;
    this.queue.push(JSON.stringify(payload));
    const max = this.options.maxQueue ?? 100;
    while (this.queue.length > max) {
      this.queue.shift();
      this.stats.dropped++;
    }
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Resolves when every queued notification was delivered or given up on. */
  async whenIdle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Stops at once: drops what is queued and aborts a request in flight. */
  close(): void {
    this.stats.dropped += this.queue.length;
    this.queue.length = 0;
    this.closing.abort();
  }

  private async drain(): Promise<void> {
    for (let body = this.queue.shift(); body !== undefined; body = this.queue.shift()) {
      await this.deliver(body);
    }
  }

  private async deliver(body: string): Promise<void> {
    const { retries, backoffMs = 1000 } = this.options;
    let problem = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await this.pause(backoffMs * 2 ** (attempt - 1));
      if (this.closing.signal.aborted) return;
      const outcome = await this.attempt(body);
      if (outcome === 'ok') {
        this.stats.sent++;
        this.warnings.clear('webhook');
        return;
      }
      problem = outcome.problem;
      if (!outcome.retryable) break;
    }
    this.stats.failed++;
    this.warnings.warn(
      'webhook',
      { webhook: this.target, problem, attempts: retries + 1 },
      'alert webhook failed; the notification is dropped',
    );
  }

  private async attempt(body: string): Promise<'ok' | { problem: string; retryable: boolean }> {
    const controller = new AbortController();
    const onClose = () => controller.abort();
    this.closing.signal.addEventListener('abort', onClose);
    // Unref'd timers: a notification never holds the process open past its timeout.
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs).unref();
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: controller.signal,
        redirect: 'error',
      });
      // Read the answer so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'ok';
      const s = response.status;
      return { problem: `HTTP ${s}`, retryable: s === 408 || s === 429 || s >= 500 };
    } catch (err) {
      if (controller.signal.aborted) {
        return { problem: `no answer within ${this.options.timeoutMs}ms`, retryable: true };
      }
      // Never err.message: only the error code, which cannot carry the URL.
      const cause = (err as { cause?: { code?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? cause.code : (err as Error).name;
      return { problem: code, retryable: true };
    } finally {
      clearTimeout(timer);
      this.closing.signal.removeEventListener('abort', onClose);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms).unref();
      const signal = this.closing.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}
