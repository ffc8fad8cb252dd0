// The alert engine on a fake clock: each rule fires once per incident, the
// cool-down holds back a flapping rule, resolved follows, the webhook gets JSON.
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { AlertEngine } from '../../../src/alerts/alert-engine.js';
import { buildConfig } from '../../../src/config/load.js';
import type { AlertRuleConfig } from '../../../src/config/types.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';
import { startReceiver, type Receiver } from './receiver.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

class Clock {
  ms = T0;
  now = () => this.ms;
  advance(seconds: number) {
    this.ms += seconds * 1000;
  }
}

function events(n: number, status: number, durationMs = 10, at?: number): EcsEvent[] {
  const out: EcsEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      '@timestamp': new Date(at ?? Date.now()).toISOString(),
      event: { original: '', duration: durationMs * 1e6 },
      http: { response: { status_code: status } },
    });
  }
  return out;
}

interface Setup {
  engine: AlertEngine;
  clock: Clock;
  receiver: Receiver;
  logs: string[];
}

async function setup(
  t: Test,
  rules: AlertRuleConfig[],
  extra: Record<string, unknown> = {},
): Promise<Setup> {
  const receiver = await startReceiver();
  const logs: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (l: string) => void logs.push(l) });
  const clock = new Clock();
  // The alerts section as production loads it; the rules are given settled.
  const { alerts } = buildConfig(
    {
      inputs: [{ paths: ['unused.log'] }],
      output: { stdout: {} },
      alerts: { webhook: { url: receiver.url, timeout: 2000, retries: 0 }, ...extra },
    },
    'test config',
  );
  const engine = new AlertEngine({ ...alerts, rules }, logger, {
    host: 'web-1',
    kubernetes: { namespace: 'prod', pod: { name: 'web-1-abc' } },
    now: clock.now,
  });
  t.teardown(async () => {
    engine.close();
    await receiver.close();
  });
  return { engine, clock, receiver, logs };
}

/** Feeds a batch stamped with the fake clock's time, then evaluates. */
function step(s: Setup, batch: EcsEvent[], seconds = 1) {
  for (const e of batch) e['@timestamp'] = new Date(s.clock.ms).toISOString();
  s.engine.process(batch);
  s.engine.tick();
  s.clock.advance(seconds);
}

const errorRule: AlertRuleConfig = {
  name: 'errors',
  type: 'error_ratio',
  threshold: 0.1,
  window: 60_000,
  min_events: 10,
};

t.test('error_ratio: one incident is one alert, then resolved', async (t) => {
  const s = await setup(t, [errorRule]);
  step(s, events(50, 200));
  t.equal(s.engine.counts.fired, 0, 'all well');
  step(s, events(20, 503));
  t.equal(s.engine.counts.fired, 1, '20 of 70 are 5xx: fires');
  for (let i = 0; i < 10; i++) step(s, events(5, 500));
  t.equal(s.engine.counts.fired, 1, 'still the same incident: no new alert');
  await s.engine.webhook?.whenIdle();
  t.equal(s.receiver.received.length, 1);
  const body = s.receiver.received[0].body;
  t.match(body, {
    status: 'firing',
    rule: 'errors',
    type: 'error_ratio',
    threshold: 0.1,
    window_seconds: 60,
    host: 'web-1',
    kubernetes: { namespace: 'prod', pod: 'web-1-abc' },
    source: 'logpod',
    started_at: new Date(T0 + 1000).toISOString(),
  });
  t.ok((body.value as number) > 0.1 && (body.value as number) < 1);
  t.match(
    body.text,
    /^\[logpod\] errors firing on web-1: \d+(\.\d+)?% of 70 responses were 5xx in the last 1m \(threshold 10%\)$/,
  );

  // A minute of healthy traffic pushes the errors out of the window.
  for (let i = 0; i < 61; i++) step(s, events(10, 200));
  t.equal(s.engine.counts.resolved, 1);
  await s.engine.webhook?.whenIdle();
  t.equal(s.receiver.received.length, 2);
  t.match(s.receiver.received[1].body, { status: 'resolved', rule: 'errors' });
  t.type(s.receiver.received[1].body.resolved_at, 'string');
});

t.test('the cool-down holds back a flapping rule until it has passed', async (t) => {
  const s = await setup(t, [errorRule]);
  step(s, events(20, 500));
  t.equal(s.engine.counts.fired, 1);
  for (let i = 0; i < 61; i++) step(s, events(10, 200));
  t.equal(s.engine.counts.resolved, 1);
  step(s, events(200, 500));
  t.equal(s.engine.counts.fired, 1, 'fired again within the cool-down: not notified');
  t.equal(s.engine.counts.suppressed, 1);
  for (let i = 0; i < 61; i++) step(s, events(10, 200));
  t.equal(s.engine.counts.resolved, 1, 'an incident never notified is not resolved either');
  s.clock.advance(600);
  step(s, events(50, 500));
  t.equal(s.engine.counts.fired, 2, 'after the cool-down, a new incident notifies');
  await s.engine.webhook?.whenIdle();
  t.same(
    s.receiver.received.map((r) => r.body.status),
    ['firing', 'resolved', 'firing'],
  );
});

t.test('an incident that outlasts its cool-down is notified when it ends', async (t) => {
  const s = await setup(t, [errorRule], { cooldown: 120_000 });
  step(s, events(20, 500));
  for (let i = 0; i < 61; i++) step(s, events(10, 200));
  step(s, events(200, 500));
  t.equal(s.engine.counts.fired, 1, 'held back');
  t.equal(s.engine.counts.suppressed, 1);
  for (let i = 0; i < 70; i++) step(s, events(10, 500));
  t.equal(s.engine.counts.fired, 2, 'still firing once the cool-down passed: notified once');
});

t.test('min_events: too little traffic never fires', async (t) => {
  const s = await setup(t, [errorRule]);
  step(s, events(5, 500));
  t.equal(s.engine.counts.fired, 0);
});

t.test('latency: p99 above the threshold means more than 1% slower than it', async (t) => {
  const rule: AlertRuleConfig = {
    name: 'slow',
    type: 'latency',
    threshold: 500,
    percentile: 99,
    window: 60_000,
    min_events: 20,
  };
  const s = await setup(t, [rule]);
  step(s, [...events(199, 200, 20), ...events(1, 200, 900)]);
  t.equal(s.engine.counts.fired, 0, '0.5% slow: p99 is within 500ms');
  step(s, [...events(100, 200, 500)], 1);
  t.equal(s.engine.counts.fired, 0, 'exactly 500ms is not slower than 500ms');
  step(s, events(5, 200, 2000));
  t.equal(s.engine.counts.fired, 1, '6 of 305 slower than 500ms: p99 above it');
  await s.engine.webhook?.whenIdle();
  t.match(s.receiver.received[0].body, { type: 'latency', threshold: 500, percentile: 99 });
  t.match(
    s.receiver.received[0].body.text,
    /took longer than 500ms in the last 1m \(p99 above 500ms\)/,
  );
});

t.test('no_events: silence for the window fires, a line resolves it', async (t) => {
  const rule: AlertRuleConfig = { name: 'silence', type: 'no_events', window: 60_000 };
  const s = await setup(t, [rule]);
  for (let i = 0; i < 59; i++) step(s, []);
  t.equal(s.engine.counts.fired, 0, 'not judged before a full window has passed');
  step(s, []);
  step(s, []);
  t.equal(s.engine.counts.fired, 1);
  for (let i = 0; i < 30; i++) step(s, []);
  t.equal(s.engine.counts.fired, 1, 'one alert for the whole silence');
  step(s, events(1, 200));
  t.equal(s.engine.counts.resolved, 1);
  await s.engine.webhook?.whenIdle();
  t.match(s.receiver.received[0].body, { status: 'firing', type: 'no_events', rule: 'silence' });
  t.match(s.receiver.received[0].body.text, /no lines read for 1m/);
  t.equal(s.receiver.received[0].body.threshold, undefined);
});

t.test('lines older than the window (a catch-up) do not count for ratios', async (t) => {
  const s = await setup(t, [errorRule]);
  const old = events(100, 500, 10, T0 - 3_600_000);
  s.engine.process(old);
  s.engine.tick();
  t.equal(s.engine.counts.fired, 0);
});

t.test('firing is a warning in the log; the webhook URL is never logged in full', async (t) => {
  const s = await setup(t, [errorRule], { send_resolved: false });
  step(s, events(20, 500));
  for (let i = 0; i < 61; i++) step(s, events(10, 200));
  await s.engine.webhook?.whenIdle();
  const records = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
  const warn = records.find((r) => r.level === 40);
  t.match(warn, { alert: 'errors', status: 'firing', msg: /errors firing on web-1/ });
  t.ok(
    records.some((r) => r.level === 30 && /errors resolved/.test(r.msg as string)),
    'resolved is logged',
  );
  t.same(
    s.receiver.received.map((r) => r.body.status),
    ['firing'],
    'send_resolved: false sends no resolved notification',
  );
  const text = s.logs.join('\n');
  t.notMatch(text, /s3cr3tT0ken/);
  t.notMatch(text, /hooks\/T000/);
});

t.test('without a webhook, alerts are only logged', async (t) => {
  const logs: string[] = [];
  const clock = new Clock();
  const engine = new AlertEngine(
    { rules: [errorRule], cooldown: 0, send_resolved: true },
    pino({ level: 'info' }, { write: (l: string) => void logs.push(l) }),
    { host: 'h', now: clock.now },
  );
  engine.process(events(20, 500, 10, clock.ms));
  engine.tick();
  t.equal(engine.webhook, undefined);
  t.equal(engine.counts.fired, 1);
  t.match(logs.join(''), /errors firing on h/);
  engine.close();
});
