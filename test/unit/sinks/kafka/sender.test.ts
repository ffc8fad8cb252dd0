import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import {
  newSegment,
  type Chunk,
  type QueuedMessage,
} from '../../../../src/sinks/kafka/send-queue.js';
import {
  ChunkTooLargeError,
  Sender,
  type ChunkTransport,
  type SenderOptions,
} from '../../../../src/sinks/kafka/sender.js';
import { LogpodError } from '../../../../src/errors.js';
import { NdjsonPacker } from '../../../../src/sinks/kafka/record-packer.js';

/** A transport the test drives: each deliver() waits until the test settles it. */
class ManualTransport implements ChunkTransport {
  readonly calls: { chunk: Chunk; resolve: () => void; reject: (e: unknown) => void }[] = [];
  deliver(chunk: Chunk): Promise<void> {
    return new Promise((resolve, reject) => this.calls.push({ chunk, resolve, reject }));
  }
  get open(): number {
    return this.calls.length;
  }
  next(): { chunk: Chunk; resolve: () => void; reject: (e: unknown) => void } {
    const call = this.calls.shift();
    if (!call) throw new Error('no send is waiting');
    return call;
  }
}

/** A transport that fails the first `failures` sends with `error`, then delivers. */
class FlakyTransport implements ChunkTransport {
  readonly delivered: string[] = [];
  attempts = 0;
  constructor(
    private failures: number,
    private readonly error: unknown = new Error('connection refused'),
  ) {}
  async deliver(chunk: Chunk): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw this.error;
    }
    this.delivered.push(
      ...chunk.topicMessages.flatMap((tm) => tm.messages.map((m) => String(m.value))),
    );
  }
}

function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { logger, lines };
}

function options(overrides: Partial<SenderOptions> = {}): SenderOptions {
  return {
    batchBytes: 100,
    lingerMs: 5,
    maxInFlight: 1,
    maxBufferedBytes: 1000,
    brokers: 'k1:9092',
    backoff: { initialMs: 1, maxMs: 4 },
    ...overrides,
  };
}

function segment(key: string, from: number, to: number, acks: string[], size = 10) {
  const msgs: QueuedMessage[] = [];
  for (let n = from; n < to; n++)
    msgs.push({ key, value: Buffer.from(`${key}${n}`.padEnd(size, '.')), headers: {} });
  return newSegment('t', key, msgs, 0, () => acks.push(`${key}${from}-${to}`));
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(2);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

t.test('a small batch waits for linger, then goes; its ack follows the delivery', async (t) => {
  const transport = new ManualTransport();
  const sender = new Sender(transport, options({ lingerMs: 30 }), logCapture().logger);
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 2, acks));
  t.equal(transport.open, 0, 'not sent before linger');
  await until(() => transport.open === 1, 'the linger send');
  t.same(acks, [], 'not acknowledged before Kafka answers');
  transport.next().resolve();
  await sender.flush();
  t.same(acks, ['a0-2']);
  t.equal(sender.stats.messagesSent, 2);
  t.equal(sender.stats.latency.count, 1, 'one produce request, one latency sample');
});

t.test('reaching batch bytes sends at once, without waiting for linger', async (t) => {
  const transport = new ManualTransport();
  const sender = new Sender(transport, options({ lingerMs: 60_000 }), logCapture().logger);
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 10, acks));
  t.equal(transport.open, 1);
  t.equal(transport.calls[0].chunk.count, 10);
  transport.next().resolve();
  await sender.flush();
  t.same(acks, ['a0-10']);
  sender.stop();
});

t.test('batches accumulate while a send is in flight and go together next', async (t) => {
  const transport = new ManualTransport();
  const sender = new Sender(
    transport,
    options({ lingerMs: 0, batchBytes: 1000 }),
    logCapture().logger,
  );
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 1, acks));
  await until(() => transport.open === 1, 'first send');
  await sender.enqueue(segment('a', 1, 2, acks));
  await sender.enqueue(segment('b', 0, 1, acks));
  await sleep(10);
  t.equal(transport.open, 1, 'one in flight at most');
  transport.next().resolve();
  await until(() => transport.open === 1, 'second send');
  t.equal(transport.calls[0].chunk.count, 2, 'the two waiting batches share one send');
  transport.next().resolve();
  await sender.flush();
  t.same(acks.sort(), ['a0-1', 'a1-2', 'b0-1']);
});

t.test('up to maxInFlight sends, never two of one key at once', async (t) => {
  const transport = new ManualTransport();
  const sender = new Sender(
    transport,
    options({ maxInFlight: 3, batchBytes: 20, lingerMs: 0 }),
    logCapture().logger,
  );
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 4, acks));
  await sender.enqueue(segment('b', 0, 4, acks));
  await until(() => transport.open === 2, 'two sends');
  await sleep(10);
  t.equal(transport.open, 2, 'a and b each have one send; more of a waits for it');
  await sender.enqueue(segment('c', 0, 2, acks));
  await until(() => transport.open === 3, 'c joins');
  await sender.enqueue(segment('d', 0, 2, acks));
  await sleep(10);
  t.equal(transport.open, 3, 'never more than maxInFlight');
  while (acks.length < 4) {
    await until(() => transport.open > 0, 'a send');
    transport.next().resolve();
    await sleep(1);
  }
  await sender.flush();
  t.same(acks.sort(), ['a0-4', 'b0-4', 'c0-2', 'd0-2']);
});

t.test('write waits while the buffer is full, and goes on as sends complete', async (t) => {
  const transport = new ManualTransport();
  const sender = new Sender(
    transport,
    options({ maxBufferedBytes: 100, batchBytes: 50 }),
    logCapture().logger,
  );
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 5, acks));
  await sender.enqueue(segment('a', 5, 10, acks));
  let third = false;
  const pending = sender.enqueue(segment('a', 10, 15, acks)).then(() => (third = true));
  await sleep(10);
  t.equal(third, false, 'write is pending: backpressure');
  t.equal(sender.stats.bufferedBytes, 100, 'the buffer holds its bound, no more');
  transport.next().resolve();
  await pending;
  t.equal(third, true, 'room again after Kafka acknowledged');
  t.ok(sender.stats.bufferedBytes <= 100);
  sender.stop();
});

t.test('a batch bigger than the whole buffer is taken when the buffer is empty', async (t) => {
  const transport = new ManualTransport();
  const sender = new Sender(transport, options({ maxBufferedBytes: 30 }), logCapture().logger);
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 5, acks));
  t.equal(sender.stats.bufferedBytes, 50);
  sender.stop();
});

t.test(
  'a failed send is retried with backoff until it succeeds; one warning, no loss',
  async (t) => {
    const transport = new FlakyTransport(5);
    const { logger, lines } = logCapture();
    const sender = new Sender(transport, options({ lingerMs: 0 }), logger);
    const acks: string[] = [];
    await sender.enqueue(segment('a', 0, 3, acks));
    await sender.enqueue(segment('a', 3, 6, acks));
    await sender.flush();
    t.equal(transport.attempts, 6, 'retried until it went through');
    t.same(
      transport.delivered.map((v) => v.replace(/\.+$/, '')),
      ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'],
      'in order',
    );
    t.same(acks, ['a0-3', 'a3-6']);
    t.equal(sender.stats.errors, 5);
    t.match(sender.stats.lastError, { message: 'connection refused' });
    const warnings = lines.filter((l) => l.level === 40);
    t.equal(warnings.length, 1, 'one warning per interval, not one per attempt');
    t.match(warnings[0], {
      brokers: 'k1:9092',
      err: { type: 'Error', message: 'connection refused', stack: /connection refused/ },
    });
    t.ok(
      lines.some((l) => l.level === 30 && /takes events again/.test(String(l.msg))),
      'the recovery is logged',
    );
  },
);

t.test('a failure waiting cannot fix stops the sender; nothing is acknowledged', async (t) => {
  const fatal = new LogpodError('OUTPUT_WRITE', 'Kafka refuses the events: INVALID_RECORD');
  const transport = new FlakyTransport(100, fatal);
  const { logger, lines } = logCapture();
  const sender = new Sender(transport, options({ lingerMs: 0, maxBufferedBytes: 20 }), logger);
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 2, acks));
  const waiting = sender.enqueue(segment('a', 2, 4, acks));
  await t.rejects(sender.flush(), fatal);
  await t.rejects(waiting, fatal, 'a write waiting for room fails too');
  await t.rejects(sender.enqueue(segment('a', 4, 5, acks)), fatal, 'and every later one');
  t.equal(sender.failed, fatal);
  t.equal(transport.attempts, 1, 'not retried');
  t.same(acks, []);
  t.ok(
    lines.some((l) => l.level === 50),
    'logged as an error',
  );
});

t.test('a send Kafka finds too large is halved until it fits', async (t) => {
  const delivered: number[] = [];
  const transport: ChunkTransport = {
    async deliver(chunk) {
      if (chunk.bytes > 30) throw new ChunkTooLargeError(new Error('MESSAGE_TOO_LARGE'));
      delivered.push(chunk.count);
    },
  };
  const sender = new Sender(
    transport,
    options({ batchBytes: 1000, lingerMs: 0 }),
    logCapture().logger,
  );
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 10, acks));
  await sender.flush();
  t.equal(
    delivered.reduce((a, b) => a + b, 0),
    10,
    'every message delivered once',
  );
  t.ok(delivered.every((n) => n <= 3));
  t.same(acks, ['a0-10']);
});

t.test('a single message too large for Kafka is a clear non-retryable error', async (t) => {
  const transport: ChunkTransport = {
    async deliver() {
      throw new ChunkTooLargeError(new Error('MESSAGE_TOO_LARGE'));
    },
  };
  const sender = new Sender(transport, options({ lingerMs: 0 }), logCapture().logger);
  await sender.enqueue(segment('a', 0, 1, [], 50));
  await t.rejects(sender.flush(), {
    code: 'OUTPUT_WRITE',
    retryable: false,
    message: /too large.*max_line_bytes/,
  });
});

t.test('stop ends retries and releases waiting writes without acknowledging', async (t) => {
  const transport = new FlakyTransport(Infinity);
  const sender = new Sender(
    transport,
    options({ lingerMs: 0, maxBufferedBytes: 20, backoff: { initialMs: 50, maxMs: 50 } }),
    logCapture().logger,
  );
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 2, acks));
  const waiting = sender.enqueue(segment('a', 2, 4, acks));
  const flushed = sender.flush();
  await until(() => transport.attempts > 0, 'a send');
  sender.stop();
  await waiting;
  await t.rejects(flushed, { code: 'OUTPUT_WRITE', message: /closed/ });
  await sender.settled();
  const attempts = transport.attempts;
  await sleep(120);
  t.equal(transport.attempts, attempts, 'no more attempts after stop');
  t.same(acks, []);
  t.equal(sender.stats.inFlight, 0);
});

t.test(
  'flush with nothing buffered resolves at once; it sends without waiting for linger',
  async (t) => {
    const transport = new FlakyTransport(0);
    const sender = new Sender(
      transport,
      options({ lingerMs: 60_000, batchBytes: 1 << 20 }),
      logCapture().logger,
    );
    await sender.flush();
    const acks: string[] = [];
    await sender.enqueue(segment('a', 0, 1, acks));
    await sender.flush();
    t.same(acks, ['a0-1']);
    t.equal(sender.stats.latency.count, 1);
  },
);

t.test('an exception in an ack callback is logged and does not stop delivery', async (t) => {
  const transport = new FlakyTransport(0);
  const { logger, lines } = logCapture();
  const sender = new Sender(transport, options({ lingerMs: 0 }), logger);
  const bad = newSegment('t', 'a', [{ key: 'a', value: Buffer.from('x'), headers: {} }], 0, () => {
    throw new Error('boom');
  });
  const acks: string[] = [];
  await sender.enqueue(bad);
  await sender.enqueue(segment('b', 0, 1, acks));
  await sender.flush();
  t.same(acks, ['b0-1']);
  t.ok(lines.some((l) => l.level === 50 && /acknowledging/.test(String(l.msg))));
});

t.test(
  'one packed record Kafka finds too large is split by its lines, never dropped',
  async (t) => {
    const delivered: string[] = [];
    const transport: ChunkTransport = {
      async deliver(chunk) {
        const [message] = chunk.topicMessages[0].messages;
        if (message.value!.length > 200)
          throw new ChunkTooLargeError(new Error('MESSAGE_TOO_LARGE'));
        for (const tm of chunk.topicMessages)
          for (const m of tm.messages) delivered.push(...String(m.value).trimEnd().split('\n'));
      },
    };
    const sender = new Sender(
      transport,
      options({ batchBytes: 1 << 20, lingerMs: 0 }),
      logCapture().logger,
    );
    const events = Array.from({ length: 20 }, (_, i) => ({ event: { original: `e${i}` }, seq: i }));
    const records = new NdjsonPacker(1 << 20).pack(events, 'a');
    t.equal(records.length, 1, 'one record of 20 events');
    const acks: string[] = [];
    await sender.enqueue(newSegment('t', 'a', records, 0, () => acks.push('batch')));
    t.same(acks, [], 'not acknowledged before every part is delivered');
    await sender.flush();
    t.same(
      delivered.map((l) => (JSON.parse(l) as { seq: number }).seq),
      events.map((e) => e.seq),
      'every event delivered once, in order',
    );
    t.same(acks, ['batch'], 'the batch acknowledged once, after the last part');
    t.equal(sender.failed, undefined);
  },
);

t.test('while Kafka refuses, the buffer takes nothing more: reading stops at once', async (t) => {
  const transport = new ManualTransport();
  let refused = true;
  const { logger } = logCapture();
  const sender = new Sender(
    transport,
    options({ lingerMs: 0, maxBufferedBytes: 1000, holdBack: () => refused }),
    logger,
  );
  const acks: string[] = [];
  await sender.enqueue(segment('a', 0, 2, acks));
  let second = false;
  const waiting = sender.enqueue(segment('a', 2, 4, acks)).then(() => (second = true));
  await until(() => transport.open === 1, 'the first send');
  await sleep(20);
  t.equal(second, false, 'the second batch waits although the buffer has room');
  refused = false;
  transport.next().resolve();
  await waiting;
  t.equal(second, true, 'taken once Kafka accepts again');
  await until(() => transport.open === 1, 'the second send');
  transport.next().resolve();
  await sender.flush();
  t.same(acks, ['a0-2', 'a2-4'], 'both acknowledged, in order');
});
