import t from 'tap';
import { backoffDelay, sleep } from '../../../src/support/backoff.js';

const policy = { initialMs: 100, maxMs: 1000 };

t.test('exponential, capped, with jitter between half and all of the ceiling', async (t) => {
  t.same(
    [0, 1, 2, 3, 4, 10, 100].map((a) => backoffDelay(a, policy, () => 1)),
    [100, 200, 400, 800, 1000, 1000, 1000],
  );
  t.same(
    [0, 1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 0)),
    [50, 100, 200, 400, 500],
  );
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(3, policy);
    t.ok(d >= 400 && d <= 800);
  }
});

t.test('sleep ends early when aborted', async (t) => {
  const ac = new AbortController();
  const started = Date.now();
  const p = sleep(10_000, ac.signal);
  ac.abort(new Error('stop'));
  await t.rejects(p, /stop/);
  t.ok(Date.now() - started < 5_000);
});
