// Warnings that could repeat (a file without permission, a registry that
// cannot be written, a watcher error) are logged at most once per window and
// key; the next one says how many were suppressed in between.

import type { Logger } from 'pino';

const MAX_KEYS = 10_000;

export type LogLevel = 'info' | 'warn' | 'error';

export class RateLimitedLog {
  private readonly seen = new Map<string, { until: number; suppressed: number }>();

  constructor(
    readonly logger: Logger,
    private readonly windowMs: number,
  ) {}

  log(level: LogLevel, key: string, fields: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    const state = this.seen.get(key);
    if (state !== undefined && now < state.until) {
      state.suppressed++;
      return;
    }
    const suppressed = state?.suppressed ?? 0;
    if (this.seen.size >= MAX_KEYS) this.prune(now);
    this.seen.set(key, { until: now + this.windowMs, suppressed: 0 });
    this.logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, msg);
  }

  /** Forgets a key, so its next occurrence is logged at once (the problem went away). */
  clear(key: string): void {
    this.seen.delete(key);
  }

  private prune(now: number): void {
    for (const [key, state] of this.seen) if (state.until <= now) this.seen.delete(key);
    if (this.seen.size >= MAX_KEYS) this.seen.clear();
  }
}
