// /metrics of real `logpod agent` and `logpod writer` processes after real
// traffic to the real Kafka and Elasticsearch: the produce and bulk latency
// histograms and the error counters equal what went over the wire, counted by
// proxies between logpod and the services, which also cause a failure of a
// known size (refused Produce requests, _bulk answered 503).
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import {
  createTopic,
  elasticsearchUrl,
  kafkaBrokers,
  servicesAvailable,
  topicMessages,
} from '../../services/index.js';
import { readEvents, topicEvents } from '../../fixtures/sinks/kafka/kafka-test-kit.js';
import { KAFKAJS_RETRY } from '../../../src/sinks/kafka/client-options.js';
import { KafkaCountingProxy } from '../../fixtures/metrics/kafka-counting-proxy.js';
import { ElasticsearchCountingProxy } from '../../fixtures/metrics/elasticsearch-counting-proxy.js';
import { makeEvent, produce, uniqueName } from '../writer/helpers.js';

const services = servicesAvailable();
const skip =
  !services.kafka || !services.elasticsearch
    ? 'Kafka and Elasticsearch test services are not running (node test/services/services.js start all)'
    : false;

interface Running {
  child: ChildProcess;
  address: Promise<string>;
  exited: Promise<number | null>;
  logs: () => string;
}

function start(command: string, args: string[]): Running {
  const child = spawn(process.execPath, [LOGPOD_BIN, command, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info' },
  });
  let out = '';
  const address = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /"address":"([^"]+)","msg":"probe server listening"/.exec(out);
      if (m) resolve(`http://${m[1]}`);
    });
    child.on('close', () => reject(new Error(`${command} exited before listening:\n${out}`)));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, address, exited, logs: () => out };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exited;
}

/** Every sample of a Prometheus text exposition, by name and label text. */
async function scrape(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const line = (n: number) =>
  `203.0.113.${n % 250} - - [28/Nov/2026:10:00:00 +0000] "GET /m/${n} HTTP/1.1" 200 ${n} "-" "loadgen" "-"\n`;

t.test(
  'agent: logpod_kafka_produce_seconds counts the Produce requests Kafka answered; refused ones are errors',
  { skip },
  async (t) => {
    const dir = t.testdir();
    const topic = uniqueName('metrics-agent');
    await createTopic(topic);
    const [host, port] = kafkaBrokers().split(':');
    const proxy = new KafkaCountingProxy(host, Number(port));
    const brokers = await proxy.listen();
    t.teardown(() => proxy.close());
    // One failed send of the sink = kafkajs's first attempt and its retries, all refused.
    const attemptsPerSend = KAFKAJS_RETRY.retries + 1;
    proxy.refuseProduce(attemptsPerSend);

    const log = join(dir, 'access.log');
    const first = 2_000;
    let text = '';
    for (let i = 0; i < first; i++) text += line(i);
    await writeFile(log, text);
    const agent = start('agent', [
      ...['--input', log, '--from', 'beginning', '--brokers', brokers, '--topic', topic],
      ...['--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0'],
    ]);
    t.teardown(() => agent.child.kill('SIGKILL'));
    const base = await agent.address;
    // One consumer reads until the events came (a new consumer group per poll is slow).
    await readEvents(topic, first, 120_000);
    // More traffic after the failure, in several appends.
    for (let round = 0; round < 5; round++) {
      let more = '';
      for (let i = 0; i < 500; i++) more += line(first + round * 500 + i);
      await writeFile(log, more, { flag: 'a' });
      await new Promise((r) => setTimeout(r, 300));
    }
    const total = first + 5 * 500;
    await readEvents(topic, total, 120_000);
    t.equal(await topicEvents(topic), total, 'every line in Kafka, once');
    // Events travel packed, many to a record: the sink counts records, the topic holds them.
    const records = await topicMessages(topic);
    await waitFor('the last acknowledgement counted', async () => {
      const m = await scrape(base);
      return m.get('logpod_events_acked_total') === total;
    });

    const m = await scrape(base);
    t.equal(proxy.refused, attemptsPerSend, 'the proxy refused one send, kafkajs retries included');
    t.ok(proxy.produceAnswers > 1, `Kafka answered ${proxy.produceAnswers} Produce requests`);
    t.equal(
      m.get('logpod_kafka_produce_seconds_count'),
      proxy.produceAnswers,
      'one latency sample per Produce request Kafka answered',
    );
    t.equal(
      m.get('logpod_kafka_produce_seconds_bucket{le="+Inf"}'),
      proxy.produceAnswers,
      'the +Inf bucket holds them all',
    );
    t.ok((m.get('logpod_kafka_produce_seconds_sum') ?? 0) > 0, 'the latencies add up to something');
    t.equal(m.get('logpod_kafka_produce_errors_total'), 1, 'the refused send is one error');
    t.equal(m.get('logpod_kafka_messages_sent_total'), records, 'every record, once');
    t.equal(m.get('logpod_events_acked_total'), total);
    t.equal(m.get('logpod_kafka_produce_in_flight'), 0);
    t.equal(m.get('logpod_kafka_buffered_bytes'), 0);
    t.ok((m.get('logpod_kafka_sent_bytes_total') ?? 0) > total * 100, 'bytes sent are counted');
    t.equal(await stop(agent), 0, 'SIGTERM exits 0');
  },
);

t.test(
  'writer: logpod_elasticsearch_bulk_seconds counts every _bulk request; a refused one is an error',
  { skip },
  async (t) => {
    const topic = uniqueName('metrics-writer');
    const index = uniqueName('metrics-writer');
    await createTopic(topic);
    const proxy = new ElasticsearchCountingProxy(new URL(elasticsearchUrl()));
    const esUrl = await proxy.listen();
    t.teardown(() => proxy.close());
    proxy.refuseBulk(1);

    const total = 3_000;
    const events = [];
    for (let i = 0; i < total; i++) {
      events.push({ key: 'src-m', value: JSON.stringify(makeEvent(i, 'src-m')) });
    }
    await produce(topic, events);
    const writer = start('writer', [
      ...['--brokers', kafkaBrokers(), '--topic', topic, '--group', uniqueName('g')],
      ...['--elasticsearch', esUrl, '--index', index, '--listen', '127.0.0.1:0'],
    ]);
    t.teardown(() => writer.child.kill('SIGKILL'));
    const base = await writer.address;
    await waitFor('every event indexed', async () => {
      const m = await scrape(base);
      return m.get('logpod_elasticsearch_indexed_total') === total;
    });

    const m = await scrape(base);
    t.equal(proxy.refused, 1);
    t.ok(proxy.bulkRequests > 2, `${proxy.bulkRequests} _bulk requests went out`);
    t.equal(
      m.get('logpod_elasticsearch_bulk_seconds_count'),
      proxy.bulkRequests,
      'one latency sample per _bulk request, the refused one included',
    );
    t.equal(m.get('logpod_elasticsearch_bulk_seconds_bucket{le="+Inf"}'), proxy.bulkRequests);
    t.ok((m.get('logpod_elasticsearch_bulk_seconds_sum') ?? 0) > 0);
    t.equal(m.get('logpod_elasticsearch_bulk_errors_total'), 1, 'the 503 is one failed request');
    t.equal(
      m.get('logpod_elasticsearch_retries_total'),
      proxy.refusedDocuments,
      'its documents were retried',
    );
    t.equal(m.get('logpod_elasticsearch_duplicates_total'), 0);
    t.equal(m.get('logpod_dead_lettered_total'), 0);
    t.equal(m.get('logpod_elasticsearch_bulk_in_flight'), 0);
    t.equal(await stop(writer), 0, 'SIGTERM exits 0');
  },
);

t.test(
  'run with the Elasticsearch output: the same bulk figures from the direct sink',
  { skip },
  async (t) => {
    const dir = t.testdir();
    const index = uniqueName('metrics-run');
    const proxy = new ElasticsearchCountingProxy(new URL(elasticsearchUrl()));
    const esUrl = await proxy.listen();
    t.teardown(() => proxy.close());
    proxy.refuseBulk(1);

    const log = join(dir, 'access.log');
    const total = 1_500;
    let text = '';
    for (let i = 0; i < total; i++) text += line(i);
    await writeFile(log, text);
    const config = join(dir, 'logpod.yaml');
    await writeFile(
      config,
      [
        `data_dir: ${join(dir, 'data')}`,
        'inputs:',
        `  - paths: [${JSON.stringify(log)}]`,
        '    start_at: beginning',
        'output:',
        '  elasticsearch:',
        `    hosts: [${JSON.stringify(esUrl)}]`,
        `    index: ${index}`,
        'server:',
        '  enabled: true',
        '  listen: 127.0.0.1:0',
        '',
      ].join('\n'),
    );
    const run = start('run', ['--config', config]);
    t.teardown(() => run.child.kill('SIGKILL'));
    const base = await run.address;
    await waitFor('every event indexed', async () => {
      const m = await scrape(base);
      return m.get('logpod_elasticsearch_indexed_total') === total;
    });

    const m = await scrape(base);
    t.equal(proxy.refused, 1);
    t.equal(m.get('logpod_elasticsearch_bulk_seconds_count'), proxy.bulkRequests);
    t.equal(m.get('logpod_elasticsearch_bulk_errors_total'), 1);
    t.equal(m.get('logpod_elasticsearch_retries_total'), proxy.refusedDocuments);
    t.equal(m.get('logpod_events_acked_total'), total);
    t.equal(await stop(run), 0, 'SIGTERM exits 0');
  },
);
