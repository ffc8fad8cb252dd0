// A warning that can repeat (an unreachable broker, an unreadable file) is
// logged at most once per interval per key; the next one that gets through
// says how many were held back, so nothing is hidden and nothing floods.
// The key table is bounded: expired keys are pruned when it fills up.

import type { Logger } from '../logger.js';

const MAX_KEYS = 10_000;

export type LimitedLevel = 'info' | 'warn' | 'error';

export class RateLimitedLog {
  private readonly seen = new Map<string, { until: number; suppressed: number }>();

  constructor(
    readonly logger: Logger,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, fields: Record<string, unknown>, message: string): void {
    this.log('warn', key, fields, message);
  }

  error(key: string, fields: Record<string, unknown>, message: string): void {
    this.log('error', key, fields, message);
  }

  log(level: LimitedLevel, key: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    const state = this.seen.get(key);
    if (state !== undefined && now < state.until) {
      state.suppressed++;
      return;
    }
    const suppressed = state?.suppressed ?? 0;
    if (this.seen.size >= MAX_KEYS) this.prune(now);
    this.seen.set(key, { until: now + this.intervalMs, suppressed: 0 });
    this.logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, message);
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
