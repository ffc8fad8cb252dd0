// Kafka stopped for 20 s under load and started again: the agent pauses
// (the log file is the buffer), the writer waits, and both resume by themselves.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { startKafka, stopKafka } from '../services/index.js';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

t.test('Kafka down for 20 s, under load', { skip: e2eSkip('kafka') }, async (t) => {
  const c = await startCase(t, { name: 'kafka-outage', restoreServices: true });
  const load = c.load(32);
  await sleep(5_000);
  await stopKafka();
  await sleep(20_000);
  await startKafka();
  await load;
  t.ok(c.agent.running && c.writer.running, 'agent and writer rode out the outage');
  await verifyCase(t, c, { since: Date.now() });
});
