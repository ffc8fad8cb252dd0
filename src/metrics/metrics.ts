// Every Prometheus metric of logpod, named logpod_*, in one place. Hot paths never call
// prom-client: the owner binds providers of plain numbers and they are read at scrape
// time. A group of metrics appears once its provider is bound (an agent shows no writer
// metrics); histograms are observed per batch, never per event.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

/** The writer's totals (Kafka -> Elasticsearch). */
export interface WriterStats {
  eventsIndexed: number;
  /** Items answered 409: already indexed, a replay. */
  duplicates: number;
  deadLettered: number;
  /** Items retried after 429/5xx. */
  retries: number;
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

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
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

const WRITER: NumberGroup<WriterStats> = {
  kind: 'counter',
  defs: {
    elasticsearch_indexed: ['eventsIndexed', 'Events indexed in Elasticsearch.'],
    elasticsearch_duplicates: ['duplicates', 'Events already indexed (409 on create: a replay).'],
    dead_lettered: [
      'deadLettered',
      'Events Elasticsearch rejected, sent to the dead-letter topic.',
    ],
    elasticsearch_retries: ['retries', 'Bulk items retried after 429 or 5xx.'],
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
  private readonly kafkaProduce: Histogram;
  private readonly esBulk: Histogram;
  private readonly latency = {
    kafka_produce: { count: 0, sum: 0 },
    elasticsearch_bulk: { count: 0, sum: 0 },
  };

  constructor(opts: MetricsOptions = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.kafkaProduce = new Histogram({
      name: 'logpod_kafka_produce_seconds',
      help: 'Time from sending a batch to Kafka until the brokers acknowledged it.',
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.esBulk = new Histogram({
      name: 'logpod_elasticsearch_bulk_seconds',
      help: 'Duration of Elasticsearch _bulk requests.',
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
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

  bindWriter(read: Read<WriterStats>): void {
    this.bindGroup(WRITER, read);
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

  /** One Kafka produce request (a batch), from send to acknowledgement. */
  observeKafkaProduce(seconds: number): void {
    this.kafkaProduce.observe(seconds);
    this.latency.kafka_produce.count++;
    this.latency.kafka_produce.sum += seconds;
  }

  /** One Elasticsearch _bulk request. */
  observeElasticsearchBulk(seconds: number): void {
    this.esBulk.observe(seconds);
    this.latency.elasticsearch_bulk.count++;
    this.latency.elasticsearch_bulk.sum += seconds;
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
    for (const [name, l] of Object.entries(this.latency)) {
      if (l.count === 0) continue;
      out.latency ??= {};
      out.latency[name] = { count: l.count, avg_ms: Math.round((l.sum / l.count) * 1e6) / 1e3 };
    }
    return out;
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

function lagOf(f: FileLag): number {
  return Math.max(0, f.size - f.committed);
}

function pickFile(f: FileLag): FileLag {
  return { input: f.input, path: f.path, size: f.size, committed: f.committed };
}
