import t from 'tap';
import {
  CH_ERRORS,
  CH_EVENTS,
  CH_RESPONSES,
  CH_TIMED,
  FIRST_SLOW_CHANNEL,
  evaluateRule,
  windowSeconds,
} from '../../../src/alerts/rules.js';

function counts(values: Record<number, number>) {
  return { sum: (channel: number) => values[channel] ?? 0 };
}

const ctx = { slowChannel: FIRST_SLOW_CHANNEL, runningMs: 3_600_000, quietMs: 0 };

t.test('error_ratio: above the threshold with enough responses', async (t) => {
  const rule = {
    name: 'e',
    type: 'error_ratio',
    threshold: 0.05,
    window: 60_000,
    min_events: 20,
  } as const;
  const r = evaluateRule(rule, counts({ [CH_RESPONSES]: 200, [CH_ERRORS]: 25 }), ctx);
  t.same(r, {
    breached: true,
    value: 0.125,
    text: '13% of 200 responses were 5xx in the last 1m (threshold 5%)',
  });
  t.equal(
    evaluateRule(rule, counts({ [CH_RESPONSES]: 200, [CH_ERRORS]: 10 }), ctx).breached,
    false,
    'exactly 5% is not above',
  );
  t.equal(evaluateRule(rule, counts({ [CH_RESPONSES]: 19, [CH_ERRORS]: 19 }), ctx).breached, false);
  t.match(evaluateRule(rule, counts({}), ctx), { breached: false, value: 0 });
});

t.test('latency: the share slower than the threshold against 100 - percentile', async (t) => {
  const rule = {
    name: 'l',
    type: 'latency',
    threshold: 250,
    percentile: 99.9,
    window: 300_000,
    min_events: 1,
  } as const;
  const slow = (n: number) => counts({ [CH_TIMED]: 10_000, [FIRST_SLOW_CHANNEL]: n });
  t.equal(evaluateRule(rule, slow(10), ctx).breached, false, '0.1% slower: p99.9 is within');
  const r = evaluateRule(rule, slow(11), ctx);
  t.equal(r.breached, true);
  t.equal(
    r.text,
    '0.11% of 10000 requests took longer than 250ms in the last 5m (p99.9 above 250ms)',
  );
});

t.test('no_events: silence over a whole window, after a whole window of running', async (t) => {
  const rule = { name: 'q', type: 'no_events', window: 120_000 } as const;
  t.match(evaluateRule(rule, counts({}), { ...ctx, quietMs: 130_000 }), {
    breached: true,
    value: 130,
    text: 'no lines read for 130s (window 2m)',
  });
  t.equal(evaluateRule(rule, counts({ [CH_EVENTS]: 1 }), ctx).breached, false);
  t.equal(evaluateRule(rule, counts({}), { ...ctx, runningMs: 60_000 }).breached, false);
});

t.test('windows are whole seconds, at least one', async (t) => {
  t.equal(windowSeconds({ name: 'q', type: 'no_events', window: 1500 }), 2);
  t.equal(windowSeconds({ name: 'q', type: 'no_events', window: 1 }), 1);
});
