// The agent killed with SIGKILL under load, three times, and started again:
// it resumes from its registry, re-sends what was not acknowledged, and the
// writer's create-by-event.id makes the replays land once.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

t.test('agent SIGKILLed and restarted three times, under load', { skip: e2eSkip() }, async (t) => {
  const c = await startCase(t, { name: 'agent-sigkill' });
  const load = c.load(24);
  for (let i = 0; i < 3; i++) {
    await sleep(5_000);
    const exit = await c.agent.kill('SIGKILL');
    t.equal(exit?.signal, 'SIGKILL', `agent killed (${i + 1})`);
    await sleep(1_000);
    c.agent.start();
    await c.agent.waitForLog('logpod agent started');
  }
  await load;
  await verifyCase(t, c, { since: Date.now() });
});
