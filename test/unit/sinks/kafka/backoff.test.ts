import t from 'tap';
import { backoffDelay } from '../../../../src/sinks/kafka/backoff.js';

const policy = { initialMs: 100, maxMs: 1_000 };

t.test('grows exponentially up to the cap', async (t) => {
  const top = (attempt: number) => backoffDelay(attempt, policy, () => 1);
  t.same([0, 1, 2, 3, 4, 50].map(top), [100, 200, 400, 800, 1000, 1000]);
});

t.test('jitter keeps each delay between half and all of its ceiling', async (t) => {
  t.equal(
    backoffDelay(2, policy, () => 0),
    200,
  );
  t.equal(
    backoffDelay(2, policy, () => 0.5),
    300,
  );
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(i % 8, policy);
    const ceiling = Math.min(1_000, 100 * 2 ** (i % 8));
    t.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${i % 8}: ${d}`);
  }
});
