// A topic that does not exist, with auto-creation off (the broker's and ours):
// a clear, non-retryable KAFKA_TOPIC_MISSING naming the topic and the brokers,
// at start() for a plain topic, at the first send for a templated one; never
// an endless retry, and never an acknowledgement.

import t from 'tap';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { kafkaBrokers } from '../../../services/index.js';
import {
  fileBatch,
  memoryLogger,
  noKafka,
  sinkConfig,
  uniqueName,
} from '../../../fixtures/sinks/kafka/kafka-test-kit.js';

t.test('a missing topic fails start() with KAFKA_TOPIC_MISSING', { skip: noKafka }, async (t) => {
  const topic = uniqueName('missing');
  const { logger } = memoryLogger();
  const sink = new KafkaSink(sinkConfig(topic), logger);
  t.teardown(() => sink.close());
  const err = await sink.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { name: 'LogpodError', code: 'KAFKA_TOPIC_MISSING', retryable: false });
  const message = (err as Error).message;
  t.match(message, topic, 'names the topic');
  t.match(message, kafkaBrokers(), 'names the brokers');
  t.match(message, 'allow_auto_topic_creation', 'says how to fix it');
});

t.test(
  'a missing templated topic fails the first send, without acknowledging',
  { skip: noKafka },
  async (t) => {
    const base = uniqueName('missing-tpl');
    const { logger, lines } = memoryLogger();
    const sink = new KafkaSink(sinkConfig(`${base}-{{format}}`), logger);
    t.teardown(() => sink.close());
    await sink.start();
    const acks = new Map<string, number>();
    await sink.write(fileBatch('a.log', 0, 5, acks, 'json'));
    const err = await sink.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.match(err, { code: 'KAFKA_TOPIC_MISSING', retryable: false, message: `${base}-json` });
    t.equal(sink.failure, err, 'the sink keeps the error that stopped it');
    t.equal(acks.size, 0, 'nothing acknowledged');
    await t.rejects(
      sink.write(fileBatch('a.log', 5, 6, acks, 'json')),
      { code: 'KAFKA_TOPIC_MISSING' },
      'later writes fail too',
    );
    t.ok(
      lines.some((l) => l.level === 50 && /cannot go on/.test(String(l.msg))),
      'the sink logs that it stopped',
    );
  },
);
