// Every Prometheus metric of logpod, named logpod_*, in one place. Hot paths never call
// prom-client: the owner binds providers of plain numbers and they are read at scrape
// time. A group of metrics appears once its provider is bound (an agent shows no writer
// metrics). Outputs expose their figures one way: a `stats` object of plain numbers and
// a LatencyHistogram (one sample per request, never per event), bound here by the owner.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LATENCY_BOUNDS_MS, type LatencyHistogram } from './latency-histogram.js';

/** The pipeline's running totals; src/pipeline/counters.ts PipelineCounters fits. */
export interface PipelineStats {
  linesRead: number;
  bytesRead: number;
  eventsParsed: number;
  parseFailures: number;
  truncatedLines: number;
  invalidUtf8Lines: number;
  eventsAcked: number;
  batchesAcked: number;
  outputErrors: number;
  /** nginx responses by status class: index 1..5 for 1xx..5xx, 0 for none/other. */
  readonly statusClasses: readonly number[];
}

export interface InFlightStats {
  events: number;
  bytes: number;
}

/** One tailed file: lag = size - committed (bytes not yet acknowledged downstream). */
export interface FileLag {
  input: string;
  path: string;
  size: number;
  committed: number;
}

export interface RegistryStats {
  writes: number;
  errors: number;
}

/** What the Kafka output has done; src/sinks/kafka/stats.ts KafkaSinkStats fits. */
export interface KafkaOutputStats {
  /** Messages Kafka acknowledged. */
  messagesSent: number;
  /** Bytes of those messages before compression. */
  bytesSent: number;
  /** Failed produce attempts (each retry counts). */
  errors: number;
  /** Produce requests under way. */
  inFlight: number;
  /** Bytes accepted and not yet acknowledged. */
  bufferedBytes: number;
  /** One sample per produce request Kafka acknowledged. */
  readonly latency: LatencyHistogram;
}

/** What the Elasticsearch output has done (the writer's, or run's and agent's direct output);
 * src/sinks/elasticsearch/stats.ts ElasticsearchStats fits. */
export interface ElasticsearchOutputStats {
  indexed: number;
  /** Items answered 409: already indexed, a replay. */
  duplicates: number;
  deadLettered: number;
  /** Items retried after 429/5xx. */
  retries: number;
  /** _bulk requests that failed as a whole (connection, 429, 5xx...). */
  bulkFailures: number;
  /** _bulk requests refused as too large (413) and split in halves. */
  bulkSplits: number;
  /** Replayed copies removed from a data stream's new backing index after a rollover. */
  rolloverDuplicates: number;
  inFlight: number;
  /** One sample per _bulk request answered, failed ones included. */
  readonly latency: LatencyHistogram;
}

export interface ConsumerLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface LatencySummary {
  count: number;
  avg_ms: number;
}

/** Plain numbers for /status, read from the same providers as /metrics. */
export interface MetricsSnapshot {
  counters: Record<string, number>;
  http_status_classes?: Record<string, number>;
  files?: { input: string; path: string; size: number; committed: number; lag_bytes: number }[];
  consumer_lag?: ConsumerLag[];
  latency?: Record<string, LatencySummary>;
}

export interface MetricsOptions {
  /** process_* and nodejs_* metrics from prom-client (default true). */
  defaultMetrics?: boolean;
}

const STATUS_CLASS_LABELS = ['none', '1xx', '2xx', '3xx', '4xx', '5xx'];

type NumericKey<S> = { [K in keyof S]: S[K] extends number ? K : never }[keyof S];

/** Plain numbers from one provider. The key names the metric (logpod_<key>, plus _total
 * for counters) and the /status entry alike, so both read the same. */
interface NumberGroup<S> {
  kind: 'counter' | 'gauge';
  defs: Record<string, readonly [field: NumericKey<S>, help: string]>;
}

const PIPELINE: NumberGroup<PipelineStats> = {
  kind: 'counter',
  defs: {
    lines_read: ['linesRead', 'Lines read from log files.'],
    bytes_read: ['bytesRead', 'Bytes of lines read from log files.'],
    events_parsed: ['eventsParsed', 'Lines turned into events, parse failures included.'],
    parse_failures: ['parseFailures', 'Lines not fitting the format (kept, _parse_failure).'],
    lines_truncated: ['truncatedLines', 'Lines cut at max_line_bytes (tagged _truncated).'],
    lines_invalid_utf8: ['invalidUtf8Lines', 'Lines with invalid UTF-8 (tagged _invalid_utf8).'],
    events_acked: ['eventsAcked', 'Events the output acknowledged.'],
    batches_acked: ['batchesAcked', 'Batches the output acknowledged.'],
    output_errors: ['outputErrors', 'Failed attempts to deliver a batch to the output.'],
  },
};

const IN_FLIGHT: NumberGroup<InFlightStats> = {
  kind: 'gauge',
  defs: {
    events_in_flight: ['events', 'Events sent to the output and not yet acknowledged.'],
    bytes_in_flight: ['bytes', 'Encoded bytes sent to the output and not yet acknowledged.'],
  },
};

const REGISTRY: NumberGroup<RegistryStats> = {
  kind: 'counter',
  defs: {
    registry_writes: ['writes', 'Registry (saved positions) writes to disk.'],
    registry_write_errors: ['errors', 'Registry writes that failed.'],
  },
};

const KAFKA_OUTPUT: NumberGroup<KafkaOutputStats> = {
  kind: 'counter',
  defs: {
    kafka_messages_sent: ['messagesSent', 'Messages Kafka acknowledged.'],
    kafka_sent_bytes: ['bytesSent', 'Bytes of acknowledged messages, before compression.'],
    kafka_produce_errors: ['errors', 'Failed produce requests (each retry counts).'],
  },
};

const KAFKA_OUTPUT_NOW: NumberGroup<KafkaOutputStats> = {
  kind: 'gauge',
  defs: {
    kafka_produce_in_flight: ['inFlight', 'Produce requests under way.'],
    kafka_buffered_bytes: ['bufferedBytes', 'Bytes the Kafka output holds, not yet acknowledged.'],
  },
};

const ELASTICSEARCH_OUTPUT: NumberGroup<ElasticsearchOutputStats> = {
  kind: 'counter',
  defs: {
    elasticsearch_indexed: ['indexed', 'Events indexed in Elasticsearch.'],
    elasticsearch_duplicates: ['duplicates', 'Events already indexed (409 on create: a replay).'],
    dead_lettered: [
      'deadLettered',
      'Events Elasticsearch rejected, sent to the dead letter (topic in the writer, else file).',
    ],
    elasticsearch_retries: ['retries', 'Bulk items retried after 429 or 5xx.'],
    elasticsearch_bulk_errors: [
      'bulkFailures',
      'Elasticsearch _bulk requests that failed as a whole (unreachable, 429, 5xx).',
    ],
    elasticsearch_bulk_splits: [
      'bulkSplits',
      'Elasticsearch _bulk requests refused as too large (413) and sent again in halves.',
    ],
    elasticsearch_rollover_duplicates: [
      'rolloverDuplicates',
      'Replayed events removed from a data stream after a rollover: an older backing index held them.',
    ],
  },
};

const ELASTICSEARCH_OUTPUT_NOW: NumberGroup<ElasticsearchOutputStats> = {
  kind: 'gauge',
  defs: {
    elasticsearch_bulk_in_flight: ['inFlight', 'Elasticsearch _bulk requests under way.'],
  },
};

type Read<T> = () => T;

interface BoundGroup {
  defs: Record<string, readonly [field: string, help: string]>;
  read: Read<unknown>;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly groups = new Map<object, BoundGroup>();
  private pipeline?: Read<PipelineStats>;
  private files?: Read<Iterable<FileLag>>;
  private consumerLag?: Read<Iterable<ConsumerLag>>;
  private kafkaRefusal?: Read<string | undefined>;
  /** Bound latency histograms by /status name (kafka_produce, elasticsearch_bulk). */
  private readonly latencies = new Map<string, { read: Read<LatencyHistogram> }>();

  constructor(opts: MetricsOptions = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every registered metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Also logpod_http_responses_total{class} from statusClasses. */
  bindPipeline(read: Read<PipelineStats>): void {
    if (this.pipeline === undefined) {
      const pipeline = () => this.pipeline;
      new Counter({
        name: 'logpod_http_responses_total',
        help: 'Parsed nginx requests by response status class ("none" when absent).',
        labelNames: ['class'],
        registers: [this.registry],
        collect() {
          const classes = pipeline()?.().statusClasses ?? [];
          this.reset();
          for (let i = 0; i < STATUS_CLASS_LABELS.length; i++) {
            this.inc({ class: STATUS_CLASS_LABELS[i] }, classes[i] ?? 0);
          }
        },
      });
    }
    this.pipeline = read;
    this.bindGroup(PIPELINE, read);
  }

  bindInFlight(read: Read<InFlightStats>): void {
    this.bindGroup(IN_FLIGHT, read);
  }

  bindRegistry(read: Read<RegistryStats>): void {
    this.bindGroup(REGISTRY, read);
  }

  /** The Kafka output's figures, and logpod_kafka_produce_seconds from its latency. */
  bindKafkaOutput(read: Read<KafkaOutputStats>): void {
    this.bindGroup(KAFKA_OUTPUT, read);
    this.bindGroup(KAFKA_OUTPUT_NOW, read);
    this.bindLatency(
      'kafka_produce',
      'Time from sending a produce request to Kafka until the brokers acknowledged it.',
      () => read().latency,
    );
  }

  /** The Elasticsearch output's figures, and logpod_elasticsearch_bulk_seconds from its latency. */
  bindElasticsearchOutput(read: Read<ElasticsearchOutputStats>): void {
    this.bindGroup(ELASTICSEARCH_OUTPUT, read);
    this.bindGroup(ELASTICSEARCH_OUTPUT_NOW, read);
    this.bindLatency(
      'elasticsearch_bulk',
      'Duration of Elasticsearch _bulk requests, failed ones included.',
      () => read().latency,
    );
  }

  bindFiles(read: Read<Iterable<FileLag>>): void {
    if (this.files === undefined) {
      const files = () => this.files;
      new Gauge({
        name: 'logpod_file_lag_bytes',
        help: 'Bytes of a tailed file not yet acknowledged downstream (size minus committed offset).',
        labelNames: ['input', 'path'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const f of files()?.() ?? []) this.set({ input: f.input, path: f.path }, lagOf(f));
        },
      });
    }
    this.files = read;
  }

  bindConsumerLag(read: Read<Iterable<ConsumerLag>>): void {
    if (this.consumerLag === undefined) {
      const lags = () => this.consumerLag;
      new Gauge({
        name: 'logpod_kafka_consumer_lag',
        help: 'Messages between the committed offset and the end of a partition.',
        labelNames: ['topic', 'partition'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const l of lags()?.() ?? []) {
            this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
          }
        },
      });
    }
    this.consumerLag = read;
  }

  /**
   * logpod_kafka_refused{reason}: 1 for the reason Kafka refuses logpod now (missing topic,
   * credentials, TLS), 0 for the others (`reasons`), so an alert can name the cause.
   */
  bindKafkaRefusal(reasons: readonly string[], read: Read<string | undefined>): void {
    if (this.kafkaRefusal === undefined) {
      const current = () => this.kafkaRefusal?.();
      new Gauge({
        name: 'logpod_kafka_refused',
        help: 'Kafka answers but refuses logpod, by reason (1 = now); sends are retried.',
        labelNames: ['reason'],
        registers: [this.registry],
        collect() {
          const now = current();
          for (const reason of reasons) this.set({ reason }, reason === now ? 1 : 0);
        },
      });
    }
    this.kafkaRefusal = read;
  }

  /** The bound numbers as plain JSON for /status. */
  snapshot(): MetricsSnapshot {
    const counters: Record<string, number> = {};
    const out: MetricsSnapshot = { counters };
    for (const { defs, read } of this.groups.values()) {
      const stats = read() as Record<string, number>;
      for (const [key, [field]] of Object.entries(defs)) counters[key] = stats[field];
    }
    if (this.pipeline) {
      const classes = this.pipeline().statusClasses;
      out.http_status_classes = {};
      for (let i = 0; i < STATUS_CLASS_LABELS.length; i++) {
        out.http_status_classes[STATUS_CLASS_LABELS[i]] = classes[i] ?? 0;
      }
    }
    if (this.files) {
      out.files = [];
      for (const f of this.files()) out.files.push({ ...pickFile(f), lag_bytes: lagOf(f) });
    }
    if (this.consumerLag) out.consumer_lag = [...this.consumerLag()];
    for (const [name, { read }] of this.latencies) {
      const l = read();
      if (l.count === 0) continue;
      out.latency ??= {};
      out.latency[name] = { count: l.count, avg_ms: Math.round((l.sumMs / l.count) * 1e3) / 1e3 };
    }
    return out;
  }

  /** logpod_<name>_seconds, read from a plain histogram at scrape time; a later bind replaces it. */
  private bindLatency(name: string, help: string, read: Read<LatencyHistogram>): void {
    const bound = this.latencies.get(name);
    if (bound !== undefined) {
      bound.read = read;
      return;
    }
    const entry = { read };
    this.latencies.set(name, entry);
    this.registry.registerMetric(
      new ReadHistogram(`logpod_${name}_seconds`, help, () => entry.read()),
    );
  }

  /** Registers the group's metrics on first bind; a later bind replaces the provider. */
  private bindGroup<S>(group: NumberGroup<S>, read: Read<S>): void {
    const bound = this.groups.get(group);
    if (bound !== undefined) {
      bound.read = read;
      return;
    }
    const entry: BoundGroup = { defs: group.defs as BoundGroup['defs'], read };
    this.groups.set(group, entry);
    for (const [name, [field, help]] of Object.entries(group.defs)) {
      const value = () => (entry.read() as S)[field] as number;
      if (group.kind === 'counter') {
        new Counter({
          name: `logpod_${name}_total`,
          help,
          registers: [this.registry],
          collect() {
            this.reset();
            this.inc(value());
          },
        });
      } else {
        new Gauge({
          name: `logpod_${name}`,
          help,
          registers: [this.registry],
          collect() {
            this.set(value());
          },
        });
      }
    }
  }
}

interface HistogramSample {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A Prometheus histogram whose buckets come from a LatencyHistogram at scrape time, so the
 * owner of the numbers never calls prom-client. Only the exposition is overridden.
 */
class ReadHistogram extends Histogram {
  constructor(
    private readonly metric: string,
    private readonly helpText: string,
    private readonly source: Read<LatencyHistogram>,
  ) {
    super({
      name: metric,
      help: helpText,
      buckets: LATENCY_BOUNDS_MS.map((ms) => ms / 1000),
      registers: [],
    });
  }

  /** What prom-client's registry renders a histogram from (get() serves the JSON form). */
  getForPromString(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: HistogramSample[];
  }> {
    const h = this.source();
    const bucket = `${this.metric}_bucket`;
    const values: HistogramSample[] = [];
    let cumulative = 0;
    for (let i = 0; i < h.boundsMs.length; i++) {
      cumulative += h.counts[i];
      values.push({ metricName: bucket, labels: { le: h.boundsMs[i] / 1000 }, value: cumulative });
    }
    values.push({ metricName: bucket, labels: { le: '+Inf' }, value: h.count });
    values.push({ metricName: `${this.metric}_sum`, labels: {}, value: h.sumMs / 1000 });
    values.push({ metricName: `${this.metric}_count`, labels: {}, value: h.count });
    return Promise.resolve({
      name: this.metric,
      help: this.helpText,
      type: 'histogram',
      aggregator: 'sum',
      values,
    });
  }

  override get(): ReturnType<Histogram['get']> {
    return this.getForPromString() as unknown as ReturnType<Histogram['get']>;
  }
}

function lagOf(f: FileLag): number {
  return Math.max(0, f.size - f.committed);
}

function pickFile(f: FileLag): FileLag {
  return { input: f.input, path: f.path, size: f.size, committed: f.committed };
}
