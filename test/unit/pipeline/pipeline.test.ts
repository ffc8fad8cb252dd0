import t from 'tap';
import { pino } from 'pino';
import { Pipeline } from '../../../src/pipeline/pipeline.js';
import type { EventBatch, Sink } from '../../../src/pipeline/batch.js';
import type { PipelineInput, Source } from '../../../src/pipeline/source.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';
import { LogpodError } from '../../../src/errors.js';

const logger = pino({ level: 'silent' });

/** A source that hands out chunk numbers 0..n-1 once started (a stand-in, for this module's unit test only). */
class ListSource implements Source<number> {
  acked: number[] = [];
  stopped = false;
  constructor(private readonly chunks: number) {}
  async start(onChunk: (chunk: number) => Promise<void>): Promise<void> {
    for (let i = 0; i < this.chunks; i++) await onChunk(i);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  async whenIdle(): Promise<void> {}
}

/** A sink that fails its first `failures` writes with the given error. */
class FlakySink implements Sink {
  readonly name = 'flaky';
  writes = 0;
  batches: EventBatch[] = [];
  constructor(
    private failures: number,
    private readonly error: () => Error,
  ) {}
  async start() {}
  async write(batch: EventBatch) {
    this.writes++;
    if (this.failures > 0) {
      this.failures--;
      throw this.error();
    }
    this.batches.push(batch);
    batch.ack();
  }
  async flush() {}
  async close() {}
}

/** Chunk i becomes one event `line i`, acknowledged back to the source as i. */
const input = (source: ListSource): PipelineInput<number> => ({
  id: 'in',
  source,
  toEvents: (i) => ({
    events: [{ event: { original: `line ${i}` } }],
    origin: { inputId: 'in', sourceId: 'src', format: 'main' },
    bytes: 6,
    ack: () => source.acked.push(i),
  }),
});

t.test(
  'a retryable output error retries the same batch until it is delivered, then acks',
  async (t) => {
    const source = new ListSource(3);
    const sink = new FlakySink(
      2,
      () => new LogpodError('OUTPUT_WRITE', 'disk full', { retryable: true }),
    );
    const pipeline = new Pipeline({
      inputs: [input(source)],
      sink,
      logger,
      retry: { initialMs: 1, maxMs: 2 },
    });
    await pipeline.start();
    t.same(source.acked, [0, 1, 2], 'every chunk acknowledged once, in order');
    t.equal(sink.writes, 5, 'two failed attempts, then three deliveries');
    t.equal(pipeline.counters.outputErrors, 2);
    t.equal(pipeline.counters.eventsAcked, 3);
    t.same(sink.batches[0].origin, { inputId: 'in', sourceId: 'src', format: 'main' });
  },
);

t.test('a non-retryable output error is fatal and nothing is acked', async (t) => {
  const source = new ListSource(2);
  const sink = new FlakySink(
    10,
    () => new LogpodError('OUTPUT_WRITE', 'stdout is closed', { retryable: false }),
  );
  const pipeline = new Pipeline({
    inputs: [input(source)],
    sink,
    logger,
    retry: { initialMs: 1, maxMs: 2 },
  });
  await pipeline.start();
  const fatal = await pipeline.whenFatal();
  t.match(fatal.message, /stdout is closed/);
  t.same(source.acked, []);
  await pipeline.stop(100);
  t.ok(source.stopped);
});

t.test('stop gives up on a flush that never finishes, within the deadline', async (t) => {
  const source = new ListSource(0);
  const sink = new FlakySink(0, () => new Error('x'));
  sink.flush = () => new Promise<void>(() => {});
  const pipeline = new Pipeline({ inputs: [input(source)], sink, logger });
  await pipeline.start();
  const started = Date.now();
  await pipeline.stop(200);
  t.ok(Date.now() - started < 5_000, 'stop returned although the flush hung');
});

t.test('stages run in order on every batch before the sink takes it', async (t) => {
  const source = new ListSource(2);
  const sink = new FlakySink(0, () => new Error('x'));
  const seen: string[] = [];
  const stamp = (name: string) => ({
    process(events: EcsEvent[]) {
      for (const e of events) {
        seen.push(`${name}:${e.event.original}:${sink.batches.length}`);
        e[name] = true;
      }
    },
  });
  const pipeline = new Pipeline({
    inputs: [input(source)],
    stages: [stamp('first'), stamp('second')],
    sink,
    logger,
  });
  await pipeline.start();
  t.same(seen, ['first:line 0:0', 'second:line 0:0', 'first:line 1:1', 'second:line 1:1']);
  t.match(sink.batches[1].events[0], { first: true, second: true });
  t.same(source.acked, [0, 1]);
  t.equal(pipeline.counters.batchesAcked, 2);
});
