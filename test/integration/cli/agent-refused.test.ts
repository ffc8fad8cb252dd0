// The sidecar never takes nginx down: `logpod agent` started against a topic that does
// not exist keeps running. It is started and live (so a startupProbe gating nginx
// passes), /readyz says 503 naming the topic, /status and logpod_kafka_refused show the
// cause, and nothing is committed: the file is the buffer. SIGTERM ends it at once.
// Once the topic exists, every line, those written meanwhile included, arrives once.
import t from 'tap';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, kafkaBrokers } from '../../services/index.js';
import { noKafka, uniqueName } from '../../fixtures/sinks/kafka/kafka-test-kit.js';
import {
  accessLine,
  getJson,
  httpStatus,
  startLogpod,
  topicPaths,
  waitFor,
} from './kafka-process.js';

t.test(
  'a missing topic: the agent stays up and reports it; creating the topic ships every line once',
  { skip: noKafka },
  async (t) => {
    const dir = t.testdir();
    const topic = uniqueName('refused');
    const log = join(dir, 'access.log');
    writeFileSync(log, Array.from({ length: 100 }, (_, i) => accessLine(i)).join(''));
    const raw = {
      data_dir: join(dir, 'data'),
      inputs: [{ id: 'access', paths: [log], format: 'main', start_at: 'beginning' }],
      output: { kafka: { brokers: [kafkaBrokers()], topic } },
      server: { enabled: true, listen: '127.0.0.1:0' },
      shutdown: { timeout: '25s' },
    };

    const first = startLogpod('agent', dir, raw);
    t.teardown(() => void first.child.kill('SIGKILL'));
    const base = await first.base;
    await waitFor('/startupz 200', async () => (await httpStatus(`${base}/startupz`)) === 200);
    t.pass('started although the topic is missing');
    t.equal(await httpStatus(`${base}/livez`), 200, 'live');
    await waitFor('/readyz 503', async () => (await httpStatus(`${base}/readyz`)) === 503);
    const ready = await (await fetch(`${base}/readyz`)).text();
    t.match(ready, 'KAFKA_TOPIC_MISSING', '/readyz names the code');
    t.match(ready, topic, '/readyz names the topic');
    const status = await getJson(`${base}/status`);
    t.match(
      status.kafka_refused,
      { reason: 'topic_missing', code: 'KAFKA_TOPIC_MISSING', message: topic },
      '/status shows the refusal',
    );
    t.ok(
      Date.parse((status.kafka_refused as { since: string }).since) > Date.now() - 120_000,
      'and since when',
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    t.match(metrics, 'logpod_kafka_refused{reason="topic_missing"} 1', 'the metric names it');
    t.match(metrics, 'logpod_kafka_refused{reason="auth_failed"} 0');
    t.match(first.logs(), /"code":"KAFKA_TOPIC_MISSING"/, 'the log names the code');

    appendFileSync(log, Array.from({ length: 50 }, (_, i) => accessLine(100 + i)).join(''));
    await new Promise((r) => setTimeout(r, 3_000));
    t.equal(first.child.exitCode, null, 'still running a while later');
    const files = (await getJson(`${base}/status`)).files as { committed: number }[];
    t.same(
      files.map((f) => f.committed),
      [0],
      'nothing committed: the lines stay in the file',
    );

    const asked = Date.now();
    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    t.equal(stopped.code, 0, 'a clean exit on SIGTERM');
    t.ok(stopped.at - asked < 10_000, `promptly (${stopped.at - asked} ms), not after a drain`);

    const second = startLogpod('agent', dir, raw);
    t.teardown(() => void second.child.kill('SIGKILL'));
    const base2 = await second.base;
    await waitFor('/readyz 503 again', async () => (await httpStatus(`${base2}/readyz`)) === 503);
    await createTopic(topic, 1);
    const paths = await topicPaths(kafkaBrokers(), topic, 150);
    t.same(
      paths,
      Array.from({ length: 150 }, (_, i) => `/n/${i}`),
      'every line once, in order, those written while refused included',
    );
    await waitFor('/readyz 200', async () => (await httpStatus(`${base2}/readyz`)) === 200);
    t.equal((await getJson(`${base2}/status`)).kafka_refused, null, 'the refusal is gone');
    t.match(second.logs(), 'Kafka accepts logpod again', 'the recovery is logged');
    second.child.kill('SIGTERM');
    t.equal((await second.exited).code, 0, 'clean exit');
  },
);
