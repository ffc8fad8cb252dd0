// nginx's log rotated with logrotate's copytruncate, under load: copied to
// access.log.N, then truncated in place (nginx keeps writing to the same file).
// Three rotations. Lines nginx writes between the copy and the truncate exist
// in no file (copytruncate's known race); every line that is on disk must be in
// Elasticsearch exactly once, and nothing nginx did not log may be there.
// The copy takes about 500 ms, as copying a production-sized log does, so the
// agent sees access.log.N before the truncate: it must wait for the truncate,
// then read the copy on from where the original stopped (or not at all).
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

t.test('log rotated by copytruncate, three times, under load', { skip: e2eSkip() }, async (t) => {
  const c = await startCase(t, { name: 'rotate-copytruncate' });
  const load = c.load(24);
  for (let i = 0; i < 3; i++) {
    await sleep(6_000);
    await c.nginx.copyTruncate();
  }
  await load;
  await verifyCase(t, c, { since: Date.now(), copytruncate: true });
});
