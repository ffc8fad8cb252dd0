// Elasticsearch stopped for 20 s under load and started again: the writer
// retries without committing offsets, the agent goes on shipping to Kafka.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { startElasticsearch, stopElasticsearch } from '../services/index.js';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

t.test('Elasticsearch down for 20 s, under load', { skip: e2eSkip('elasticsearch') }, async (t) => {
  const c = await startCase(t, { name: 'elasticsearch-outage', restoreServices: true });
  const load = c.load(30);
  await sleep(5_000);
  await stopElasticsearch();
  await sleep(20_000);
  await startElasticsearch();
  await load;
  t.ok(c.agent.running && c.writer.running, 'agent and writer rode out the outage');
  await verifyCase(t, c, { since: Date.now() });
});
