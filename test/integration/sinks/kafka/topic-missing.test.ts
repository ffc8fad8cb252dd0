// A topic that does not exist, with auto-creation off (the broker's and ours): not
// fatal. start() resolves and reports a KAFKA_TOPIC_MISSING refusal naming the topic
// and the brokers; sends are retried with backoff and nothing is acknowledged; once
// the topic is created every event is delivered, once, and the refusal clears. A
// templated topic is checked at its first send, the same way.

import t from 'tap';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { createTopic, kafkaBrokers } from '../../../services/index.js';
import {
  fileBatch,
  memoryLogger,
  noKafka,
  readEvents,
  sinkConfig,
  uniqueName,
} from '../../../fixtures/sinks/kafka/kafka-test-kit.js';

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

t.test(
  'a missing topic is a refusal that is retried; creating it delivers everything once',
  { skip: noKafka },
  async (t) => {
    const topic = uniqueName('missing');
    const { logger, lines } = memoryLogger();
    const sink = new KafkaSink(sinkConfig(topic), logger);
    t.teardown(() => sink.close());
    await sink.start();
    const refusal = sink.refusal();
    t.match(
      refusal,
      { reason: 'topic_missing', code: 'KAFKA_TOPIC_MISSING' },
      'start() reports it',
    );
    t.match(refusal?.message, topic, 'names the topic');
    t.match(refusal?.message, kafkaBrokers(), 'names the brokers');
    t.match(refusal?.message, 'allow_auto_topic_creation', 'says how to fix it');
    t.ok(
      lines.some((l) => l.level === 50 && l.code === 'KAFKA_TOPIC_MISSING'),
      'logged once as an error with its code',
    );

    const acks = new Map<string, number>();
    await sink.write(fileBatch('a.log', 0, 5, acks));
    await new Promise((r) => setTimeout(r, 1_500));
    t.equal(acks.size, 0, 'nothing acknowledged while the topic is missing');
    t.equal(sink.failure, undefined, 'the sink has not given up');
    t.equal(sink.state(), 'waiting', 'it waits (liveness), it is not wedged');
    const since = sink.refusal()?.since;
    t.equal(typeof since, 'number', 'the refusal carries when it began');

    await createTopic(topic, 1);
    await sink.flush();
    t.same([...acks], [['a.log:0', 1]], 'acknowledged once, once delivered');
    t.equal(sink.refusal(), undefined, 'the refusal clears');
    const events = await readEvents(topic, 5);
    t.same(
      events.map((e) => (JSON.parse(e.value) as { seq: number }).seq),
      [0, 1, 2, 3, 4],
      'every event once, in order',
    );
    t.ok(
      lines.some((l) => l.level === 30 && /accepts logpod again/.test(String(l.msg))),
      'the end of the refusal is logged',
    );
  },
);

t.test(
  'a missing templated topic is refused at its first send, without acknowledging',
  { skip: noKafka },
  async (t) => {
    const base = uniqueName('missing-tpl');
    const { logger } = memoryLogger();
    const sink = new KafkaSink(sinkConfig(`${base}-{{format}}`), logger);
    t.teardown(() => sink.close());
    await sink.start();
    t.equal(sink.refusal(), undefined, 'nothing to check before the first send');
    const acks = new Map<string, number>();
    await sink.write(fileBatch('a.log', 0, 5, acks, 'json'));
    await until('the refusal', () => sink.refusal() !== undefined);
    t.match(sink.refusal(), { code: 'KAFKA_TOPIC_MISSING', message: `${base}-json` });
    t.equal(sink.failure, undefined, 'not fatal');
    t.equal(acks.size, 0, 'nothing acknowledged');
    await createTopic(`${base}-json`, 1);
    await sink.flush();
    t.same([...acks], [['a.log:0', 1]], 'delivered once the topic exists');
  },
);
