import t from 'tap';
import { MetricsRegistry } from '../../../src/metrics/metrics.js';
import { PipelineCounters } from '../../../src/pipeline/counters.js';
import { KafkaSinkStats } from '../../../src/sinks/kafka/stats.js';
import { ElasticsearchStats } from '../../../src/sinks/elasticsearch/stats.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  help: Map<string, string>;
  type: Map<string, string>;
}

/** A strict reader of the Prometheus text format: every line must be a comment or a sample. */
function parseExposition(text: string): Exposition {
  const out: Exposition = { samples: [], help: new Map(), type: new Map() };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? out.help : out.type).set(meta[2], meta[3]);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? []) {
      const eq = pair.indexOf('=');
      labels[pair.slice(0, eq)] = JSON.parse(pair.slice(eq + 1)) as string;
    }
    out.samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function value(
  e: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const keys = Object.keys(labels);
  return e.samples.find((s) => s.name === name && keys.every((k) => s.labels[k] === labels[k]))
    ?.value;
}

t.test('pipeline counters are read at scrape time and shown as counters', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  const c = new PipelineCounters();
  metrics.bindPipeline(() => c);
  c.linesRead = 42;
  c.bytesRead = 4200;
  c.eventsParsed = 42;
  c.parseFailures = 2;
  c.truncatedLines = 1;
  c.invalidUtf8Lines = 3;
  c.eventsAcked = 40;
  c.batchesAcked = 4;
  c.outputErrors = 5;
  c.countStatus(200);
  c.countStatus(204);
  c.countStatus(404);
  c.countStatus(undefined);

  const e = parseExposition(await metrics.render());
  t.equal(value(e, 'logpod_lines_read_total'), 42);
  t.equal(value(e, 'logpod_bytes_read_total'), 4200);
  t.equal(value(e, 'logpod_events_parsed_total'), 42);
  t.equal(value(e, 'logpod_parse_failures_total'), 2);
  t.equal(value(e, 'logpod_lines_truncated_total'), 1);
  t.equal(value(e, 'logpod_lines_invalid_utf8_total'), 3);
  t.equal(value(e, 'logpod_events_acked_total'), 40);
  t.equal(value(e, 'logpod_batches_acked_total'), 4);
  t.equal(value(e, 'logpod_output_errors_total'), 5);
  t.equal(value(e, 'logpod_http_responses_total', { class: '2xx' }), 2);
  t.equal(value(e, 'logpod_http_responses_total', { class: '4xx' }), 1);
  t.equal(value(e, 'logpod_http_responses_total', { class: '5xx' }), 0);
  t.equal(value(e, 'logpod_http_responses_total', { class: 'none' }), 1);
  t.equal(e.type.get('logpod_lines_read_total'), 'counter');

  c.linesRead = 50;
  t.equal(
    value(parseExposition(await metrics.render()), 'logpod_lines_read_total'),
    50,
    'a later scrape sees new values',
  );
});

t.test('every logpod metric has a help text; only bound groups appear', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  let e = parseExposition(await metrics.render());
  t.equal(value(e, 'logpod_lines_read_total'), undefined, 'no pipeline bound: no pipeline metrics');
  t.notOk(e.type.has('logpod_elasticsearch_indexed_total'));

  metrics.bindPipeline(() => new PipelineCounters());
  metrics.bindInFlight(() => ({ events: 0, bytes: 0 }));
  metrics.bindFiles(() => []);
  metrics.bindRegistry(() => ({ writes: 0, errors: 0 }));
  metrics.bindElasticsearchOutput(() => new ElasticsearchStats());
  metrics.bindKafkaOutput(() => new KafkaSinkStats());
  metrics.bindConsumerLag(() => []);
  e = parseExposition(await metrics.render());
  const names = [...e.type.keys()];
  t.ok(names.length >= 20, `all groups registered (${names.length} metrics)`);
  for (const name of names) {
    t.match(name, /^logpod_/, `${name} is a logpod metric`);
    t.ok((e.help.get(name) ?? '').length > 10, `${name} has a help text`);
  }
});

t.test('in flight, registry, Elasticsearch output and consumer lag numbers', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  metrics.bindInFlight(() => ({ events: 17, bytes: 1700 }));
  metrics.bindRegistry(() => ({ writes: 9, errors: 1 }));
  const es = new ElasticsearchStats();
  Object.assign(es, { indexed: 100, duplicates: 7, deadLettered: 2, retries: 4 });
  Object.assign(es, { bulkFailures: 3, inFlight: 2 });
  metrics.bindElasticsearchOutput(() => es);
  metrics.bindConsumerLag(() => [
    { topic: 'nginx-main', partition: 0, lag: 12 },
    { topic: 'nginx-main', partition: 1, lag: 0 },
  ]);
  const e = parseExposition(await metrics.render());
  t.equal(value(e, 'logpod_events_in_flight'), 17);
  t.equal(value(e, 'logpod_bytes_in_flight'), 1700);
  t.equal(e.type.get('logpod_events_in_flight'), 'gauge');
  t.equal(value(e, 'logpod_registry_writes_total'), 9);
  t.equal(value(e, 'logpod_registry_write_errors_total'), 1);
  t.equal(value(e, 'logpod_elasticsearch_indexed_total'), 100);
  t.equal(value(e, 'logpod_elasticsearch_duplicates_total'), 7);
  t.equal(value(e, 'logpod_dead_lettered_total'), 2);
  t.equal(value(e, 'logpod_elasticsearch_retries_total'), 4);
  t.equal(value(e, 'logpod_elasticsearch_bulk_errors_total'), 3);
  t.equal(value(e, 'logpod_elasticsearch_bulk_in_flight'), 2);
  t.equal(value(e, 'logpod_kafka_consumer_lag', { topic: 'nginx-main', partition: '0' }), 12);
  t.equal(value(e, 'logpod_kafka_consumer_lag', { topic: 'nginx-main', partition: '1' }), 0);
});

t.test('file lag per input and path; gone files disappear; label values are escaped', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  let files = [
    { input: 'nginx', path: '/var/log/nginx/access.log', size: 10_000, committed: 9_000 },
    { input: 'nginx', path: '/var/log/nginx/we"ird\\name.log', size: 50, committed: 50 },
    { input: 'errors', path: '/var/log/nginx/error.log', size: 10, committed: 20 }, // truncated: no negative lag
  ];
  metrics.bindFiles(() => files);
  let e = parseExposition(await metrics.render());
  t.equal(
    value(e, 'logpod_file_lag_bytes', { input: 'nginx', path: '/var/log/nginx/access.log' }),
    1000,
  );
  t.equal(
    value(e, 'logpod_file_lag_bytes', { input: 'nginx', path: '/var/log/nginx/we"ird\\name.log' }),
    0,
  );
  t.equal(value(e, 'logpod_file_lag_bytes', { input: 'errors' }), 0);

  files = [files[0]];
  e = parseExposition(await metrics.render());
  t.equal(
    e.samples.filter((s) => s.name === 'logpod_file_lag_bytes').length,
    1,
    'a file no longer tracked is gone',
  );
});

t.test("an output's latency and figures are read from its stats at scrape time", async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  const kafka = new KafkaSinkStats();
  const es = new ElasticsearchStats();
  metrics.bindKafkaOutput(() => kafka);
  metrics.bindElasticsearchOutput(() => es);
  let e = parseExposition(await metrics.render());
  t.equal(e.type.get('logpod_kafka_produce_seconds'), 'histogram', 'there once bound, empty');
  t.equal(value(e, 'logpod_kafka_produce_seconds_count'), 0);

  kafka.latency.observe(20);
  kafka.latency.observe(200);
  kafka.messagesSent = 7;
  kafka.bytesSent = 700;
  kafka.recordError(new Error('down'), 1);
  kafka.inFlight = 1;
  kafka.bufferedBytes = 50;
  es.latency.observe(1500);
  e = parseExposition(await metrics.render());
  t.equal(value(e, 'logpod_kafka_produce_seconds_count'), 2);
  t.equal(value(e, 'logpod_kafka_produce_seconds_bucket', { le: '0.01' }), 0);
  t.equal(value(e, 'logpod_kafka_produce_seconds_bucket', { le: '0.025' }), 1);
  t.equal(value(e, 'logpod_kafka_produce_seconds_bucket', { le: '0.25' }), 2, 'cumulative');
  t.equal(value(e, 'logpod_kafka_produce_seconds_bucket', { le: '+Inf' }), 2);
  t.equal(value(e, 'logpod_kafka_produce_seconds_sum'), 0.22);
  t.equal(value(e, 'logpod_kafka_messages_sent_total'), 7);
  t.equal(value(e, 'logpod_kafka_sent_bytes_total'), 700);
  t.equal(value(e, 'logpod_kafka_produce_errors_total'), 1);
  t.equal(value(e, 'logpod_kafka_produce_in_flight'), 1);
  t.equal(value(e, 'logpod_kafka_buffered_bytes'), 50);
  t.equal(value(e, 'logpod_elasticsearch_bulk_seconds_count'), 1);
  t.equal(value(e, 'logpod_elasticsearch_bulk_seconds_sum'), 1.5);
  t.equal(value(e, 'logpod_elasticsearch_bulk_seconds_bucket', { le: '1' }), 0);
  t.equal(value(e, 'logpod_elasticsearch_bulk_seconds_bucket', { le: '2.5' }), 1);
  t.same(metrics.snapshot().latency, {
    kafka_produce: { count: 2, avg_ms: 110 },
    elasticsearch_bulk: { count: 1, avg_ms: 1500 },
  });
  t.same((await metrics.registry.getMetricsAsJSON()).length, e.type.size, 'JSON form works too');
});

t.test('a later bind replaces the provider, the metric stays registered once', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  metrics.bindKafkaOutput(() => new KafkaSinkStats());
  const second = new KafkaSinkStats();
  second.latency.observe(1);
  metrics.bindKafkaOutput(() => second);
  const e = parseExposition(await metrics.render());
  t.equal(value(e, 'logpod_kafka_produce_seconds_count'), 1);
});

t.test('default process metrics are there unless turned off', async (t) => {
  const e = parseExposition(await new MetricsRegistry().render());
  t.ok(e.type.has('process_cpu_user_seconds_total'));
  t.ok(e.type.has('nodejs_heap_size_used_bytes'));
});

t.test('snapshot: the same numbers as plain JSON for /status', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  t.same(metrics.snapshot(), { counters: {} }, 'nothing bound, nothing shown');
  const c = new PipelineCounters();
  c.linesRead = 3;
  c.countStatus(503);
  metrics.bindPipeline(() => c);
  metrics.bindFiles(() => [{ input: 'a', path: '/x.log', size: 30, committed: 10 }]);
  const s = metrics.snapshot();
  t.equal(s.counters.lines_read, 3);
  t.same(s.http_status_classes, { none: 0, '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 1 });
  t.same(s.files, [{ input: 'a', path: '/x.log', size: 30, committed: 10, lag_bytes: 20 }]);
});
