// One parse-and-encode measurement in a fresh process, so no variant inherits
// another's JIT or heap: prints one JSON line {events, inBytes, outBytes, ms,
// cpuMs}. Variants: read (newline count, the I/O limit), naive-bare,
// naive-full (see naive-parsers.js) and logpod (the real file input, pipeline,
// parser and encodeNdjson into a sink that only acknowledges).
// Usage: node parse-encode-child.js <variant> <format> <data-dir> <path|glob>...

import { performance } from 'node:perf_hooks';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { naiveBare, naiveFull } from './naive-parsers.js';

// LOGPOD_BENCH_DIST points at another build (before/after comparisons of a change).
const dist = new URL(process.env.LOGPOD_BENCH_DIST ?? '../../dist/', import.meta.url).href;
const { buildConfig } = await import(`${dist}/config/load.js`);
// Where the file input's options are built moved from cli/ to the file source.
const fileInputOptions =
  (await import(`${dist}/sources/file/options.js`)).fileInputOptions ??
  (await import(`${dist}/cli/build-pipeline.js`)).fileInputOptions;
const { createLogger } = await import(`${dist}/logger.js`);
const { createParser } = await import(`${dist}/parse/index.js`);
const { encodeNdjson } = await import(`${dist}/pipeline/encode.js`);
const { Pipeline } = await import(`${dist}/pipeline/pipeline.js`);
const { PipelineCounters } = await import(`${dist}/pipeline/counters.js`);
// A dist built before the pipeline was generic has no file-events module.
const { fileEvents } = await import(`${dist}/cli/file-events.js`).catch(() => ({}));
const { FileInput } = await import(`${dist}/sources/file/file-input.js`);

const [variant, format, dataDir, ...paths] = process.argv.slice(2);
const host = { name: hostname() };

/** Counts newlines: what reading the file costs at the least. */
async function bareRead(path) {
  let events = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    bytes += chunk.length;
    let i = chunk.indexOf(10);
    while (i !== -1) {
      events++;
      i = chunk.indexOf(10, i + 1);
    }
  }
  return { events, inBytes: bytes, outBytes: 0 };
}

/** Lines as strings, each through `toEvent`, a chunk's events encoded as one NDJSON string. */
async function naive(path, full) {
  let events = 0;
  let outBytes = 0;
  let offset = 0;
  let carry = '';
  const sourceId = 'bench-source';
  const stream = createReadStream(path, { highWaterMark: 64 * 1024, encoding: 'utf8' });
  for await (const chunk of stream) {
    const text = carry + chunk;
    let out = '';
    let from = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      const line = text.slice(from, nl);
      const ev = full ? naiveFull(line, path, offset, sourceId, host) : naiveBare(line);
      out += JSON.stringify(ev) + '\n';
      offset += Buffer.byteLength(line) + 1;
      events++;
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    carry = text.slice(from);
    outBytes += out.length;
  }
  return { events, inBytes: (await stat(path)).size, outBytes };
}

/**
 * The real thing: FileInput -> Pipeline (fileEvents) -> a sink that encodes and acks.
 * Built before the clock starts (config validation compiles a schema once per process).
 */
function preparePipeline(patterns) {
  const input0 = { id: 'bench', paths: patterns, format, start_at: 'beginning' };
  if (process.env.LOGPOD_BENCH_READ_BUFFER) {
    input0.read_buffer_bytes = Number(process.env.LOGPOD_BENCH_READ_BUFFER);
  }
  const config = buildConfig(
    { data_dir: dataDir, inputs: [input0], output: { stdout: {} }, logging: { level: 'silent' } },
    'bench',
  );
  const logger = createLogger('silent');
  const input = config.inputs[0];
  const source = new FileInput(fileInputOptions(config, input), logger);
  const parser = createParser({ format: input.format, timezone: input.timezone });
  const context = { parser, format: input.format, host, tags: [], fields: undefined };
  let outBytes = 0;
  const sink = {
    name: 'null',
    start: async () => {},
    write(batch) {
      outBytes += encodeNdjson(batch.events).length;
      batch.ack();
      return Promise.resolve();
    },
    flush: async () => {},
    close: async () => {},
  };
  const counters = new PipelineCounters();
  const pipeline = fileEvents
    ? new Pipeline({
        inputs: [{ id: 'bench', source, toEvents: fileEvents(context, counters) }],
        sink,
        logger,
        counters,
      })
    : new Pipeline([{ id: 'bench', source, context }], sink, logger);
  return { pipeline, source, outBytes: () => outBytes };
}

async function logpod({ pipeline, source, outBytes }) {
  await pipeline.start();
  await pipeline.whenIdle();
  const c = pipeline.counters;
  const result = { events: c.eventsAcked, inBytes: source.stats().bytesRead, outBytes: outBytes() };
  await pipeline.stop(1000);
  return result;
}

const prepared = variant === 'logpod' ? preparePipeline(paths) : undefined;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let result;
if (variant === 'read') result = await bareRead(paths[0]);
else if (variant === 'naive-bare') result = await naive(paths[0], false);
else if (variant === 'naive-full') result = await naive(paths[0], true);
else if (variant === 'logpod') result = await logpod(prepared);
else throw new Error(`unknown variant ${variant}`);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({ ...result, ms, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n',
);
