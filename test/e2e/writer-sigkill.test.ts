// The writer killed with SIGKILL under load and started again, with nginx
// logging in a custom log_format: offsets committed only over indexed
// documents, so the restart replays the rest and each lands once.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

t.test(
  'writer SIGKILLed and restarted, under load, custom log_format',
  { skip: e2eSkip() },
  async (t) => {
    const c = await startCase(t, { name: 'writer-sigkill', format: 'custom' });
    const load = c.load(22);
    await sleep(6_000);
    const exit = await c.writer.kill('SIGKILL');
    t.equal(exit?.signal, 'SIGKILL', 'writer killed');
    await sleep(2_000);
    c.writer.start();
    await c.writer.waitForLog('logpod writer started');
    await load;
    await verifyCase(t, c, { since: Date.now() });
  },
);
