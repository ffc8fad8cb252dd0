import t from 'tap';
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { FileInput } from '../../../../src/sources/file/file-input.js';
import type { FileChunk } from '../../../../src/sources/file/types.js';
import { captureLogger, collector, numbered, options, sleep, tempDir, waitFor } from './helpers.js';

t.test('1,000 files with max_open_files 64: every line of every file arrives', async (t) => {
  const dir = tempDir(t);
  const logs = path.join(dir, 'logs');
  mkdirSync(logs);
  for (let i = 0; i < 1000; i++)
    writeFileSync(path.join(logs, `f${i}.log`), numbered(0, 20, `f${i}`));
  const { logger } = captureLogger();
  const input = new FileInput(
    options(dir, { input: { max_open_files: 64, read_buffer_bytes: 64 } }),
    logger,
  );
  const c = collector();
  let maxOpen = 0;
  const onChunk = (chunk: FileChunk) => {
    maxOpen = Math.max(maxOpen, input.stats().openFiles);
    c.onChunk(chunk);
  };
  await input.start(onChunk);
  t.teardown(() => input.stop());
  await input.whenIdle();
  t.equal(c.lines.length, 20000);
  const perFile = new Map<string, string[]>();
  for (const l of c.lines) perFile.set(l.path, [...(perFile.get(l.path) ?? []), l.text]);
  t.equal(perFile.size, 1000);
  const wrong = [...perFile].filter(([p, texts]) => {
    const name = path.basename(p, '.log');
    return texts.join('\n') !== numbered(0, 20, name).trimEnd();
  });
  t.same(wrong, [], 'each file complete and in order');
  t.ok(maxOpen <= 64, `never more than 64 files open (saw ${maxOpen})`);
  appendFileSync(path.join(logs, 'f999.log'), numbered(20, 21, 'f999'));
  appendFileSync(path.join(logs, 'f0.log'), numbered(20, 21, 'f0'));
  await input.whenIdle();
  t.equal(c.lines.length, 20002, 'files that were closed are read again when they grow');
  // Stopped here, not only in teardown: tap removes the test's directory before later
  // teardowns run, and 1,000 files vanishing under a running input keep it writing.
  await input.stop();
});

t.test(
  'backpressure: with a consumer that never acks, in-flight stays bounded and reading pauses',
  async (t) => {
    const dir = tempDir(t);
    const logs = path.join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(path.join(logs, 'a.log'), numbered(0, 20000, 'a'));
    writeFileSync(path.join(logs, 'b.log'), numbered(0, 20000, 'b'));
    const { logger } = captureLogger();
    const opts = options(dir, {
      input: { read_buffer_bytes: 4096 },
      pipeline: {
        max_in_flight_bytes: 20_000,
        max_in_flight_events: 1_000,
        batch_max_bytes: 20_000,
        batch_max_events: 1_000,
      },
    });
    const input = new FileInput(opts, logger);
    const c = collector(false);
    let peakBytes = 0;
    let peakEvents = 0;
    await input.start((chunk) => {
      c.onChunk(chunk);
      const s = input.stats();
      peakBytes = Math.max(peakBytes, s.inFlightBytes);
      peakEvents = Math.max(peakEvents, s.inFlightEvents);
    });
    t.teardown(() => input.stop({ drainTimeoutMs: 10 }));
    await waitFor(
      () => input.stats().inFlightEvents >= 1000 || input.stats().inFlightBytes >= 20_000,
      5000,
      'bound reached',
    );
    await sleep(300);
    const paused = input.stats();
    t.ok(
      paused.inFlightBytes < opts.maxInFlightBytes + opts.readBufferBytes,
      `bytes bounded (${paused.inFlightBytes})`,
    );
    t.ok(
      peakBytes < opts.maxInFlightBytes + opts.readBufferBytes,
      `peak bytes bounded (${peakBytes})`,
    );
    t.ok(
      peakEvents < opts.maxInFlightEvents + opts.readBufferBytes,
      `peak events bounded (${peakEvents})`,
    );
    await sleep(300);
    t.equal(input.stats().bytesRead, paused.bytesRead, 'no reading while at the bound');
    t.ok(
      paused.files.every((f) => f.offsetAcked === 0),
      'nothing committed without acks',
    );
    const toAck = c.chunks.splice(0);
    for (const chunk of toAck) chunk.ack();
    await waitFor(
      () => input.stats().bytesRead > paused.bytesRead,
      5000,
      'reading resumed on acks',
    );
    for (;;) {
      for (const chunk of c.chunks.splice(0)) chunk.ack();
      const s = input.stats();
      if (c.lines.length === 40000 && s.inFlightEvents === 0) break;
      await sleep(10);
    }
    await input.whenIdle();
    t.equal(c.lines.length, 40000);
  },
);
