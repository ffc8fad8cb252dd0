// The outputs' part of the config schema (stdout, file, Kafka, Elasticsearch) and the
// writer's Kafka consumer, which shares the Kafka connection keys. Defaults are written
// here, in the units a user would write; config/logpod.yaml shows the same values (a test
// keeps the two in step). Key order is the order `logpod check` prints and lists keys in.

import {
  anyString,
  boolean,
  closed,
  duration,
  integer,
  nonEmptyString,
  oneOf,
  size,
} from './json-schema.js';

const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

export const stdoutOutput = closed({});

export const fileOutput = closed(
  {
    /** NDJSON is appended here; relative to the working directory. */
    path: nonEmptyString,
    /** fsync after each flush, before acknowledging. */
    fsync: { ...boolean, default: true },
  },
  ['path'],
);

const kafkaSasl = closed(
  {
    mechanism: oneOf('plain', 'scram-sha-256', 'scram-sha-512'),
    username: nonEmptyString,
    password: anyString,
  },
  ['mechanism', 'username', 'password'],
);

const kafkaTls = {
  ...closed({
    enabled: { ...boolean, default: false },
    ca_file: nonEmptyString,
    cert_file: nonEmptyString,
    key_file: nonEmptyString,
    key_passphrase: anyString,
    reject_unauthorized: { ...boolean, default: true },
  }),
  default: {},
};

const topicName = {
  type: 'string',
  pattern: '^[A-Za-z0-9._-]{1,249}$',
  'x-message': 'a topic name of letters, digits, ".", "_" and "-"',
} as const;

const brokers = {
  type: 'array',
  minItems: 1,
  // An item may list several brokers, comma-separated, so one ${VAR} can hold them all;
  // loading splits them, so the config holds one HOST:PORT an item.
  items: {
    type: 'string',
    format: 'broker-list',
    'x-message': 'HOST:PORT, or several separated by commas, e.g. kafka-0:9092,kafka-1:9092',
  },
} as const;

export const kafkaOutput = closed(
  {
    brokers,
    /** May contain {{format}} and {{input}}, replaced per event by the input's format and id. */
    topic: {
      type: 'string',
      format: 'kafka-topic',
      'x-message':
        'a topic name of letters, digits, ".", "_" and "-", optionally with {{format}} and {{input}}',
    },
    client_id: { ...nonEmptyString, default: 'logpod' },
    /** The protocol value of each setting is in KAFKA_ACKS (types.ts). */
    acks: { ...oneOf('all', 'leader', 'none'), default: 'all' },
    idempotent: { ...boolean, default: true },
    /** zstd by default: the least CPU per event and the smallest records (README, Benchmarks). */
    compression: { ...oneOf('none', 'gzip', 'snappy', 'lz4', 'zstd'), default: 'zstd' },
    /** zlib level of the gzip codec, 1 to 9. */
    gzip_level: { ...integer(1, 9), default: 3 },
    /** How events become records: many as NDJSON lines (ndjson), or one each (none). */
    packing: { ...oneOf('ndjson', 'none'), default: 'ndjson' },
    /** With packing ndjson: the most bytes of events in one record (one bigger event is a record alone). */
    record_max_bytes: { ...size(KIB, MIB), default: '64KiB' },
    batch_bytes: { ...size(1, GIB), default: '1MiB' },
    /**
     * Bytes of records buffered or in flight at most; above it the output stops taking
     * batches and the files are not read further (backpressure), so memory stays flat.
     */
    max_buffered_bytes: { ...size(64 * KIB, GIB), default: '4MiB' },
    linger: { ...duration(0), default: '50ms' },
    max_in_flight_requests: { ...integer(1, 100), default: 5 },
    request_timeout: { ...duration(1), default: '30s' },
    allow_auto_topic_creation: { ...boolean, default: false },
    sasl: kafkaSasl,
    tls: kafkaTls,
  },
  ['brokers', 'topic'],
);

const indexName = {
  type: 'string',
  pattern: '^[a-z0-9{][a-z0-9._+{}%Y-]{0,254}$',
  'x-message':
    'a lowercase name of letters, digits, ".", "_", "+", "-", optionally with {{dataset}} (and %Y %m %d for an index)',
} as const;

export const elasticsearchOutput = closed(
  {
    /** Node URLs, at least one (http:// or https://). */
    hosts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'string',
        format: 'http-url',
        'x-message': 'a URL like http://elasticsearch:9200 or https://es.example:9200',
      },
    },
    /** A data stream; {{dataset}} is replaced per event. The default is dropped when index is given. */
    data_stream: { ...indexName, default: 'logs-{{dataset}}-default' },
    /** Dated indices: {{dataset}}, %Y, %m, %d from the event's @timestamp (UTC). */
    index: indexName,
    username: nonEmptyString,
    password: anyString,
    api_key: nonEmptyString,
    tls: {
      ...closed({
        /** PEM file of the CA that signed the nodes' certificates; the system CAs otherwise. */
        ca_file: nonEmptyString,
        reject_unauthorized: { ...boolean, default: true },
      }),
      default: {},
    },
    template: {
      ...closed({
        /** PUT the index template at start (idempotent). */
        install: { ...boolean, default: true },
        /** Template name; derived from the target pattern when empty ("-<dataset>" added per dataset). */
        name: { ...anyString, default: '' },
        /**
         * The datasets logpod writes: one template each, matching only their names.
         * A target without {{dataset}} gets one template and ignores this.
         */
        datasets: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'string',
            pattern: '^[a-z0-9._-]{1,100}$',
            'x-message': 'a dataset name of lowercase letters, digits, ".", "_" and "-"',
          },
          default: ['nginx.access', 'nginx.error', 'generic'],
        },
        /**
         * Unset: 200, or one above the highest existing template that overlaps ours.
         * A value that ties with an overlapping template is refused at start.
         */
        priority: integer(0, 1_000_000),
        shards: { ...integer(1, 1024), default: 1 },
        replicas: { ...integer(0, 100), default: 1 },
        refresh_interval: { ...duration(1), default: '5s' },
      }),
      default: {},
    },
    batch_max_events: { ...integer(1, 100_000), default: 1000 },
    batch_max_bytes: { ...size(1, GIB), default: '5MiB' },
    batch_max_wait: { ...duration(0), default: '1s' },
    max_in_flight_requests: { ...integer(1, 64), default: 2 },
    request_timeout: { ...duration(1), default: '30s' },
    retry_initial_backoff: { ...duration(1), default: '250ms' },
    retry_max_backoff: { ...duration(1), default: '30s' },
    /** Data streams: after a rollover, remove a replayed copy that an older backing index already holds. */
    rollover_check: { ...boolean, default: true },
    /** Rejected documents of the direct output (no dead-letter topic); relative to data_dir. */
    dead_letter_file: { ...nonEmptyString, default: 'dead-letter/elasticsearch.ndjson' },
  },
  ['hosts'],
);

/** Exactly one kind: min/maxProperties on a closed mapping, worded by validate.ts. */
export const outputSection = {
  ...closed({
    stdout: stdoutOutput,
    file: fileOutput,
    kafka: kafkaOutput,
    elasticsearch: elasticsearchOutput,
  }),
  minProperties: 1,
  maxProperties: 1,
};

export const OUTPUT_KINDS = ['stdout', 'file', 'kafka', 'elasticsearch'] as const;

/** The writer's consumer: the same connection keys as output.kafka. */
export const writerKafka = closed(
  {
    brokers,
    /** The events topic to consume. */
    topic: topicName,
    group_id: { ...nonEmptyString, default: 'logpod-writer' },
    client_id: { ...nonEmptyString, default: 'logpod-writer' },
    request_timeout: { ...duration(1), default: '30s' },
    session_timeout: { ...duration(6000, 300_000), default: '30s' },
    /** Where a group with no committed offset starts. */
    start_at: { ...oneOf('earliest', 'latest'), default: 'earliest' },
    /** Rejected documents and unreadable messages go here; "<topic>-dlq" when not given. */
    dead_letter_topic: topicName,
    sasl: kafkaSasl,
    tls: kafkaTls,
  },
  ['brokers', 'topic'],
);
