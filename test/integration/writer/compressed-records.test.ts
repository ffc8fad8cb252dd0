// Records compressed with every codec the agent offers (gzip, lz4, snappy,
// zstd), packed NDJSON and single-event alike, in one topic: the real writer
// (`logpod writer`, its own process, so it registers the codecs itself and
// nothing in this test does it for it) indexes every event exactly once and
// commits every record. Pins down a writer that could decode gzip records only.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import t from 'tap';
import { stringify } from 'yaml';
// The producer side needs the codecs; the writer under test is another process.
import '../../../src/topic/kafka-codecs.js';
import {
  CONTENT_TYPE_HEADER,
  CONTENT_TYPE_NDJSON,
  EVENT_COUNT_HEADER,
  LOGPOD_SCHEMA_HEADER,
  LOGPOD_SCHEMA_VERSION,
} from '../../../src/topic/contract.js';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import { committedTotal, createTopic, deleteTopic, kafkaBrokers } from '../../services/index.js';
import {
  countDocs,
  esClient,
  makeEvent,
  newWriterSetup,
  skipReason,
  waitFor,
  writerRaw,
} from './helpers.js';

const skip = skipReason();
const { CompressionTypes } = kafkajs;
const CODECS = {
  gzip: CompressionTypes.GZIP,
  lz4: CompressionTypes.LZ4,
  snappy: CompressionTypes.Snappy,
  zstd: CompressionTypes.ZSTD,
} as const;
const PER_CODEC_PACKED = 400;
const PER_CODEC_SINGLE = 50;
const EVENTS_PER_RECORD = 40;

/** One packed record of events from..to-1, headers as the agent writes them. */
function packedRecord(source: string, from: number, to: number) {
  let value = '';
  for (let i = from; i < to; i++) value += `${JSON.stringify(makeEvent(i, source))}\n`;
  return {
    key: source,
    value,
    headers: {
      [LOGPOD_SCHEMA_HEADER]: LOGPOD_SCHEMA_VERSION,
      [CONTENT_TYPE_HEADER]: CONTENT_TYPE_NDJSON,
      [EVENT_COUNT_HEADER]: String(to - from),
    },
  };
}

t.test(
  'records of every codec: each event indexed once, every record committed',
  { skip },
  async (t) => {
    const dir = t.testdir();
    const setup = newWriterSetup('codecs-');
    const { topic, ns } = setup;
    await createTopic(topic, 2);
    t.teardown(() => deleteTopic(topic).catch(() => {}));

    const kafka = new kafkajs.Kafka({
      brokers: [kafkaBrokers()],
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let next = 0;
    let records = 0;
    try {
      for (const [name, compression] of Object.entries(CODECS)) {
        const source = `src-${name}`;
        const messages = [];
        for (let i = 0; i < PER_CODEC_PACKED; i += EVENTS_PER_RECORD) {
          messages.push(packedRecord(source, next + i, next + i + EVENTS_PER_RECORD));
        }
        next += PER_CODEC_PACKED;
        for (let i = 0; i < PER_CODEC_SINGLE; i++) {
          messages.push({ key: source, value: JSON.stringify(makeEvent(next + i, source)) });
        }
        next += PER_CODEC_SINGLE;
        await producer.send({ topic, acks: -1, compression, messages });
        records += messages.length;
      }
    } finally {
      await producer.disconnect();
    }
    const N = next;

    const config = join(dir, 'writer.yaml');
    writeFileSync(config, stringify(writerRaw(setup)));
    const child = spawn(process.execPath, [LOGPOD_BIN, 'writer', '--config', config], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = ''; // both streams: the writer logs to stdout
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    t.teardown(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    const es = esClient();
    t.teardown(() => es.close());
    const pattern = `logs-*-${ns}`;
    await waitFor(
      'every event indexed',
      async () => (await countDocs(es, pattern)) >= N,
      120_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; writer output:\n${output.slice(-4000)}`);
    });
    await waitFor(
      'every record committed',
      async () => (await committedTotal(topic, setup.group)) === records,
      60_000,
    );
    child.kill('SIGTERM');
    t.equal(await exited, 0, 'the writer stops cleanly');

    t.equal(await countDocs(es, pattern), N, `${N} documents, none twice`);
    const ids = await es.search({
      index: pattern,
      size: 0,
      aggs: { ids: { cardinality: { field: 'event.id', precision_threshold: 40000 } } },
    });
    t.equal((ids.aggregations?.ids as { value: number }).value, N, 'N distinct event ids');
    for (const name of Object.keys(CODECS)) {
      const found = await es.count({
        index: pattern,
        query: { prefix: { 'event.id': `src-${name}-` } },
      });
      t.equal(found.count, PER_CODEC_PACKED + PER_CODEC_SINGLE, `every ${name} event indexed`);
    }
    t.notMatch(
      output,
      /"level":"(warn|error|fatal)"/,
      'nothing went wrong on the way (no warning, no error)',
    );
  },
);
