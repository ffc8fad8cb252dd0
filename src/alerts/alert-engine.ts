// Alerts on the event stream: batches are counted into per-second buckets
// (bounded: the longest window, at most an hour), rules are evaluated once a
// second, and each rule is a small state machine so one incident notifies
// once: firing (warning logged, webhook POSTed) unless the rule notified
// within `cooldown`, then resolved when it clears.

import type { AlertRuleConfig, AlertsConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { EcsEvent } from '../pipeline/event.js';
import type { EventStage } from '../pipeline/stage.js';
import {
  CH_ERRORS,
  CH_EVENTS,
  CH_RESPONSES,
  CH_TIMED,
  FIRST_SLOW_CHANNEL,
  evaluateRule,
  windowSeconds,
  type Counts,
  type Reading,
} from './rules.js';
import { SecondRing } from '../support/second-ring.js';
import { WebhookNotifier } from './webhook.js';

export interface AlertEngineOptions {
  /** host.name, in every notification. */
  host: string;
  /** Pod and namespace, in every notification when running in Kubernetes. */
  kubernetes?: { namespace?: string; pod?: { name: string } };
  now?: () => number;
  /** Webhook retry delay (tests shorten it). */
  webhookBackoffMs?: number;
}

interface RuleState {
  readonly rule: AlertRuleConfig;
  readonly slowChannel: number;
  /** Nanoseconds; latency rules only. */
  readonly slowerThanNs: number;
  firing: boolean;
  notified: boolean;
  since: number;
  lastNotifiedAt: number;
}

export type AlertStatus = 'firing' | 'resolved';

export interface AlertNotification {
  status: AlertStatus;
  rule: string;
  type: AlertRuleConfig['type'];
  text: string;
  value: number;
  threshold?: number;
  percentile?: number;
  window_seconds: number;
  started_at: string;
  resolved_at?: string;
  host: string;
  kubernetes?: { namespace?: string; pod?: string };
  source: 'logpod';
}

export class AlertEngine implements EventStage {
  readonly webhook: WebhookNotifier | undefined;
  private readonly states: RuleState[];
  private readonly ring: SecondRing;
  /** The newest second counted: events are counted in it, rule windows end at it. */
  private head = -1;
  /** The rules' view of the ring: sums over the newest seconds. */
  private readonly windowCounts: Counts;
  private readonly now: () => number;
  private readonly maxWindowMs: number;
  private readonly countDetail: boolean;
  private readonly slowThresholds: Float64Array;
  private readonly slowCounts: Uint32Array;
  private readonly startedAt: number;
  private lastEventAt: number;
  private cutoffSecond = -1;
  private cutoff = '';
  private timer: NodeJS.Timeout | undefined;
  /** Notifications sent or suppressed, for tests and status. */
  readonly counts = { fired: 0, resolved: 0, suppressed: 0 };

  constructor(
    private readonly config: AlertsConfig,
    private readonly logger: Logger,
    private readonly options: AlertEngineOptions,
  ) {
    this.now = options.now ?? Date.now;
    let slow = 0;
    this.states = config.rules.map((rule) => ({
      rule,
      slowChannel: rule.type === 'latency' ? FIRST_SLOW_CHANNEL + slow++ : -1,
      slowerThanNs: rule.type === 'latency' ? rule.threshold * 1e6 : 0,
      firing: false,
      notified: false,
      since: 0,
      lastNotifiedAt: -Infinity,
    }));
    this.slowThresholds = Float64Array.from(
      this.states.filter((s) => s.slowChannel >= 0).map((s) => s.slowerThanNs),
    );
    this.slowCounts = new Uint32Array(slow);
    this.countDetail = config.rules.some((r) => r.type !== 'no_events');
    const seconds = Math.max(1, ...config.rules.map(windowSeconds));
    this.maxWindowMs = seconds * 1000;
    this.ring = new SecondRing(seconds, FIRST_SLOW_CHANNEL + slow);
    this.windowCounts = {
      sum: (channel, span) => this.ring.sum(channel, this.head - span + 1, this.head),
    };
    this.startedAt = this.lastEventAt = this.now();
    this.advance(Math.floor(this.startedAt / 1000));
    const w = config.webhook;
    this.webhook =
      w === undefined
        ? undefined
        : new WebhookNotifier(
            {
              url: w.url,
              timeoutMs: w.timeout,
              retries: w.retries,
              headers: w.headers,
              backoffMs: options.webhookBackoffMs,
            },
            logger,
          );
  }

  /** Evaluates the rules every second until close(); the timer never keeps the process alive. */
  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.webhook?.close();
  }

  /** Counts a batch of events; called from the pipeline after enrichment. */
  process(events: readonly EcsEvent[]): void {
    if (events.length === 0) return;
    const now = this.now();
    const second = Math.floor(now / 1000);
    const ring = this.ring;
    const head = this.advance(second);
    ring.add(head, CH_EVENTS, events.length);
    this.lastEventAt = now;
    if (!this.countDetail) return;
    if (second !== this.cutoffSecond) {
      // ISO strings in UTC compare as times: a string compare a line, no Date parsing.
      this.cutoff = new Date(now - this.maxWindowMs).toISOString();
      this.cutoffSecond = second;
    }
    const cutoff = this.cutoff;
    const thresholds = this.slowThresholds;
    const slow = this.slowCounts;
    slow.fill(0);
    let responses = 0;
    let errors = 0;
    let timed = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const ts = event['@timestamp'];
      if (typeof ts === 'string' && ts < cutoff) continue;
      const http = event.http as { response?: { status_code?: unknown } } | undefined;
      const status = http?.response?.status_code;
      if (typeof status === 'number') {
        responses++;
        if (status >= 500 && status <= 599) errors++;
      }
      const duration = event.event.duration;
      if (typeof duration === 'number') {
        timed++;
        for (let k = 0; k < thresholds.length; k++) if (duration > thresholds[k]) slow[k]++;
      }
    }
    ring.add(head, CH_RESPONSES, responses);
    ring.add(head, CH_ERRORS, errors);
    ring.add(head, CH_TIMED, timed);
    for (let k = 0; k < slow.length; k++) ring.add(head, FIRST_SLOW_CHANNEL + k, slow[k]);
  }

  /** Evaluates every rule now (the timer calls it each second). */
  tick(): void {
    const now = this.now();
    this.advance(Math.floor(now / 1000));
    for (const state of this.states) {
      const reading = evaluateRule(state.rule, this.windowCounts, {
        slowChannel: state.slowChannel,
        runningMs: now - this.startedAt,
        quietMs: now - this.lastEventAt,
      });
      this.step(state, reading, now);
    }
  }

  /** Moves the newest second forward; a clock going back keeps counting into the newest. */
  private advance(second: number): number {
    if (second > this.head) this.head = second;
    return this.head;
  }

  private step(state: RuleState, reading: Reading, now: number): void {
    if (reading.breached) {
      if (!state.firing) {
        state.firing = true;
        state.notified = false;
        state.since = now;
      }
      if (state.notified) return;
      if (now - state.lastNotifiedAt < this.config.cooldown) {
        if (state.since === now) {
          this.counts.suppressed++;
          this.logger.debug({ alert: state.rule.name }, 'alert firing again within its cooldown');
        }
        return;
      }
      state.notified = true;
      state.lastNotifiedAt = now;
      this.counts.fired++;
      this.notify(state, reading, 'firing', now);
    } else if (state.firing) {
      state.firing = false;
      if (!state.notified) return;
      state.notified = false;
      this.counts.resolved++;
      this.notify(state, reading, 'resolved', now);
    }
  }

  private notify(state: RuleState, reading: Reading, status: AlertStatus, now: number): void {
    const rule = state.rule;
    const text = `[logpod] ${rule.name} ${status} on ${this.options.host}: ${reading.text}`;
    const n: AlertNotification = {
      status,
      rule: rule.name,
      type: rule.type,
      text,
      value: reading.value,
      window_seconds: windowSeconds(rule),
      started_at: new Date(state.since).toISOString(),
      host: this.options.host,
      source: 'logpod',
    };
    if (rule.type !== 'no_events') n.threshold = rule.threshold;
    if (rule.type === 'latency') n.percentile = rule.percentile;
    if (status === 'resolved') n.resolved_at = new Date(now).toISOString();
    const k8s = this.options.kubernetes;
    if (k8s !== undefined && (k8s.namespace !== undefined || k8s.pod !== undefined)) {
      n.kubernetes = { namespace: k8s.namespace, pod: k8s.pod?.name };
    }
    const fields = {
      alert: rule.name,
      status,
      value: reading.value,
      webhook: this.webhook?.target,
    };
    if (status === 'firing') this.logger.warn(fields, text);
    else this.logger.info(fields, text);
    if (status === 'resolved' && !this.config.send_resolved) return;
    this.webhook?.send(n);
  }
}

/**
 * Alerts as a stage of their own: built only when rules are configured, and
 * ticking from the moment they are built (a no_events rule must see silence
 * from the start). Composed after enrichment, so rules see enriched events.
 */
export function buildAlertStage(
  config: AlertsConfig,
  logger: Logger,
  options: AlertEngineOptions,
): AlertEngine | undefined {
  if (config.rules.length === 0) return undefined;
  const engine = new AlertEngine(config, logger, options);
  engine.start();
  return engine;
}
