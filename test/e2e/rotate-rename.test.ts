// nginx's log rotated the logrotate way, under load: renamed to access.log.N,
// then nginx reopens (USR1 to the master, once through `nginx -s reopen`).
// Four rotations; every request nginx logged is in Elasticsearch exactly once.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

t.test('log rotated by rename + reopen, four times, under load', { skip: e2eSkip() }, async (t) => {
  const c = await startCase(t, { name: 'rotate-rename' });
  const load = c.load(24);
  for (let i = 0; i < 4; i++) {
    await sleep(5_000);
    await c.nginx.rotateByRename(i === 2 ? 'nginx -s reopen' : 'usr1');
  }
  await load;
  await verifyCase(t, c, { since: Date.now() });
});
