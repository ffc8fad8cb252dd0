// What each alert rule measures, from the per-second counts: the 5xx share of
// responses, the share of requests slower than a threshold (p99 above Y ms is
// exactly "more than 1% of requests took longer than Y"), or silence. Pure
// functions of the counts; the engine decides what to do with a reading.

import type { AlertRuleConfig } from '../config/types.js';
import { formatDuration } from '../config/units.js';

/** Channels of the SecondRing; latency rules each add one "slow" channel after these. */
export const CH_EVENTS = 0;
export const CH_RESPONSES = 1;
export const CH_ERRORS = 2;
export const CH_TIMED = 3;
export const FIRST_SLOW_CHANNEL = 4;

export interface Counts {
  sum(channel: number, seconds: number): number;
}

export interface Reading {
  breached: boolean;
  /** The measured value: a share (0..1) for ratios, seconds of silence for no_events. */
  value: number;
  /** One line for people: what was measured against what. */
  text: string;
}

export interface RuleContext {
  /** The SecondRing channel of a latency rule's slow requests. */
  slowChannel: number;
  /** Milliseconds since the engine started (silence before a full window is not judged). */
  runningMs: number;
  /** Milliseconds since the last line was read (or since the start). */
  quietMs: number;
}

export function windowSeconds(rule: AlertRuleConfig): number {
  return Math.max(1, Math.ceil(rule.window / 1000));
}

function percent(share: number): string {
  const p = share * 100;
  return `${Number(p.toFixed(p >= 10 ? 0 : p >= 1 ? 1 : 2))}%`;
}

export function evaluateRule(rule: AlertRuleConfig, counts: Counts, ctx: RuleContext): Reading {
  const seconds = windowSeconds(rule);
  const window = formatDuration(seconds * 1000);
  switch (rule.type) {
    case 'error_ratio': {
      const responses = counts.sum(CH_RESPONSES, seconds);
      const errors = counts.sum(CH_ERRORS, seconds);
      const share = responses === 0 ? 0 : errors / responses;
      return {
        breached: responses >= rule.min_events && share > rule.threshold,
        value: share,
        text:
          `${percent(share)} of ${responses} responses were 5xx in the last ${window} ` +
          `(threshold ${percent(rule.threshold)})`,
      };
    }
    case 'latency': {
      const timed = counts.sum(CH_TIMED, seconds);
      const slow = counts.sum(ctx.slowChannel, seconds);
      const share = timed === 0 ? 0 : slow / timed;
      // Rounded: (100 - 99.9) / 100 is 0.000999... in floating point.
      const allowed = Math.round((100 - rule.percentile) * 1e6) / 1e8;
      const limit = formatDuration(rule.threshold);
      return {
        breached: timed >= rule.min_events && share > allowed,
        value: share,
        text:
          `${percent(share)} of ${timed} requests took longer than ${limit} in the last ` +
          `${window} (p${rule.percentile} ${share > allowed ? 'above' : 'within'} ${limit})`,
      };
    }
    case 'no_events': {
      const events = counts.sum(CH_EVENTS, seconds);
      const quiet = Math.floor(ctx.quietMs / 1000);
      return {
        breached: events === 0 && ctx.runningMs >= rule.window,
        value: quiet,
        text:
          events === 0
            ? `no lines read for ${formatDuration(quiet * 1000)} (window ${window})`
            : `${events} lines read in the last ${window}`,
      };
    }
  }
}
