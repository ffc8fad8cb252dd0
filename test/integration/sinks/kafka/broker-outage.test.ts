// The broker stops for 20 s in the middle of a stream: write() stops resolving
// once the bounded buffer is full (reading would pause), the buffer never goes
// past its bound, one warning is logged rather than one per event, and when the
// broker is back the same sink delivers everything by itself: nothing lost,
// each file still in order.

import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { createTopic, deleteTopic, startKafka, stopKafka } from '../../../services/index.js';
import {
  externalKafka,
  fileBatch,
  memoryLogger,
  noKafka,
  range,
  readTopic,
  sequencesByKey,
  sinkConfig,
  topicSize,
  uniqueName,
} from '../../../fixtures/sinks/kafka/kafka-test-kit.js';

const DOWN_MS = 20_000;
const PER_FILE = 3000;
const PER_BATCH = 20;
const MAX_BUFFERED = 64 * 1024;
const FILES = ['one.log', 'two.log'];

t.test(
  'a 20 s broker outage loses nothing and heals by itself',
  { skip: noKafka || externalKafka },
  async (t) => {
    const topic = uniqueName('outage');
    await createTopic(topic, 2);
    t.teardown(async () => {
      await startKafka();
      await deleteTopic(topic);
    });
    const { logger, lines } = memoryLogger();
    const config = sinkConfig(topic, { batch_bytes: 16 * 1024, request_timeout: 3_000 });
    const sink = new KafkaSink(config, logger, { maxBufferedBytes: MAX_BUFFERED });
    await sink.start();
    t.teardown(() => sink.close());

    const acks = new Map<string, number>();
    let accepted = 0;
    let maxBuffered = 0;
    const sampler = setInterval(
      () => (maxBuffered = Math.max(maxBuffered, sink.stats.bufferedBytes)),
      5,
    );
    t.teardown(() => clearInterval(sampler));

    // One writer, as the pipeline is: each write awaited before the next.
    const writer = (async () => {
      for (let from = 0; from < PER_FILE; from += PER_BATCH) {
        for (const file of FILES) {
          await sink.write(fileBatch(file, from, from + PER_BATCH, acks));
          accepted++;
          maxBuffered = Math.max(maxBuffered, sink.stats.bufferedBytes);
        }
      }
    })();

    while (acks.size < 50) await sleep(10);
    await stopKafka();
    await sleep(5_000);
    const acceptedEarly = accepted;
    const ackedEarly = acks.size;
    await sleep(DOWN_MS - 5_000);
    t.equal(accepted, acceptedEarly, 'write() stays pending while Kafka is down');
    t.equal(acks.size, ackedEarly, 'nothing is acknowledged while Kafka is down');
    t.ok(
      accepted < (PER_FILE / PER_BATCH) * FILES.length,
      'the writer was held back, not finished',
    );
    t.ok(sink.stats.errors > 0, 'failed sends are counted');
    t.ok(sink.stats.lastError !== undefined, 'the last error is kept');

    await startKafka();
    await writer;
    await sink.flush();
    clearInterval(sampler);

    const total = PER_FILE * FILES.length;
    const batches = (PER_FILE / PER_BATCH) * FILES.length;
    t.equal(acks.size, batches, 'every batch is acknowledged after the outage');
    t.ok(
      [...acks.values()].every((n) => n === 1),
      'each exactly once',
    );
    t.ok(
      maxBuffered <= MAX_BUFFERED,
      `the buffer stayed within its bound (max ${maxBuffered} bytes)`,
    );

    const size = await topicSize(topic);
    const read = await readTopic(topic, size);
    const byKey = sequencesByKey(read);
    for (const file of FILES) {
      const seqs = byKey.get(`src-${file}`) ?? [];
      const firstSeen = seqs.filter((n, i) => seqs.indexOf(n) === i);
      t.same(firstSeen, range(0, PER_FILE), `${file}: every event, in order`);
    }
    t.comment(
      `${size - total} duplicate(s) after the outage (at-least-once; the writer de-duplicates by event.id)`,
    );
    t.ok(size >= total, 'the topic holds at least every event');

    const sendWarnings = lines.filter(
      (l) => l.level === 40 && /cannot deliver events to Kafka/.test(String(l.msg)),
    );
    t.ok(
      sendWarnings.length >= 1 && sendWarnings.length <= 2,
      `one warning per interval (${sendWarnings.length})`,
    );
    const loud = lines.filter((l) => (l.level as number) >= 40);
    t.ok(
      loud.length < 30,
      `the outage did not flood the log (${loud.length} lines at warn or above)`,
    );
    t.ok(
      lines.some((l) => /Kafka takes events again/.test(String(l.msg))),
      'the recovery is logged',
    );
  },
);
