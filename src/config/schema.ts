// The JSON schema of the configuration file: shape only, no defaults (see defaults.ts).
// Every mapping is closed (additionalProperties: false) except the free-form `fields`.
// Custom keywords, registered in validate.ts: `duration` / `size` ({ min, max } in ms /
// bytes) accept a unit string or a whole number; `x-message` words a value's expected form.

const DAY_MS = 86_400_000;
/** Node timers overflow past 2^31-1 ms; 24 days stays below that. */
const TIMER_MAX_MS = 24 * DAY_MS;
const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

type Schema = Record<string, unknown>;

function closed(
  properties: Record<string, Schema>,
  required: string[] = [],
): Schema & { properties: Record<string, Schema> } {
  return { type: 'object', properties, required, additionalProperties: false };
}

const nonEmptyString: Schema = { type: 'string', minLength: 1 };
const boolean: Schema = { type: 'boolean' };

function integer(minimum: number, maximum: number): Schema {
  return { type: 'integer', minimum, maximum };
}

function oneOf(...values: string[]): Schema {
  return { type: 'string', enum: values };
}

function duration(min: number, max = TIMER_MAX_MS): Schema {
  return { duration: { min, max } };
}

function size(min: number, max: number): Schema {
  return { size: { min, max } };
}

function stringList(minItems: number): Schema {
  return { type: 'array', items: nonEmptyString, minItems };
}

const fileInput = closed(
  {
    type: oneOf('file'),
    id: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
      'x-message':
        'an id of letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)',
    },
    paths: stringList(1),
    exclude: stringList(0),
    format: oneOf('combined', 'main', 'json', 'error', 'custom'),
    log_format: nonEmptyString,
    timezone: {
      type: 'string',
      pattern: '^[+-](0[0-9]|1[0-4]):[0-5][0-9]$',
      'x-message': 'a UTC offset like +00:00, +02:00 or -05:30',
    },
    start_at: oneOf('beginning', 'end'),
    fingerprint_bytes: size(64, 64 * KIB),
    max_line_bytes: size(16, 64 * MIB),
    read_buffer_bytes: size(16, 64 * MIB),
    partial_line_timeout: duration(1),
    rescan_interval: duration(1),
    close_inactive: duration(1),
    close_renamed: duration(0),
    max_open_files: integer(1, 65536),
    fields: { type: 'object' },
    tags: { type: 'array', items: nonEmptyString, uniqueItems: true },
  },
  ['paths'],
);

const stdoutOutput = closed({});

const kafkaSasl = closed(
  {
    mechanism: oneOf('plain', 'scram-sha-256', 'scram-sha-512'),
    username: nonEmptyString,
    password: { type: 'string' },
  },
  ['mechanism', 'username', 'password'],
);

const kafkaTls = closed({
  enabled: boolean,
  ca_file: nonEmptyString,
  cert_file: nonEmptyString,
  key_file: nonEmptyString,
  key_passphrase: { type: 'string' },
  reject_unauthorized: boolean,
});

const topicName: Schema = {
  type: 'string',
  pattern: '^[A-Za-z0-9._-]{1,249}$',
  'x-message': 'a topic name of letters, digits, ".", "_" and "-"',
};

const fileOutput = closed({ path: nonEmptyString, fsync: boolean }, ['path']);

const kafkaOutput = closed(
  {
    brokers: {
      type: 'array',
      minItems: 1,
      // An item may list several brokers, comma-separated, so one ${VAR} can hold them all.
      items: {
        type: 'string',
        format: 'broker-list',
        'x-message': 'HOST:PORT, or several separated by commas, e.g. kafka-0:9092,kafka-1:9092',
      },
    },
    topic: {
      type: 'string',
      format: 'kafka-topic',
      'x-message':
        'a topic name of letters, digits, ".", "_" and "-", optionally with {{format}} and {{input}}',
    },
    client_id: nonEmptyString,
    acks: oneOf('all', 'leader', 'none'),
    idempotent: boolean,
    compression: oneOf('none', 'gzip', 'snappy', 'lz4', 'zstd'),
    gzip_level: integer(1, 9),
    packing: oneOf('ndjson', 'none'),
    record_max_bytes: size(KIB, MIB),
    batch_bytes: size(1, GIB),
    linger: duration(0),
    max_in_flight_requests: integer(1, 100),
    request_timeout: duration(1),
    allow_auto_topic_creation: boolean,
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
};

const elasticsearchOutput = closed(
  {
    hosts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'string',
        format: 'http-url',
        'x-message': 'a URL like http://elasticsearch:9200 or https://es.example:9200',
      },
    },
    data_stream: indexName,
    index: indexName,
    username: nonEmptyString,
    password: { type: 'string' },
    api_key: nonEmptyString,
    tls: closed({ ca_file: nonEmptyString, reject_unauthorized: boolean }),
    template: closed({
      install: boolean,
      name: { type: 'string' },
      priority: integer(0, 1_000_000),
      shards: integer(1, 1024),
      replicas: integer(0, 100),
      refresh_interval: duration(1),
    }),
    batch_max_events: integer(1, 100_000),
    batch_max_bytes: size(1, GIB),
    batch_max_wait: duration(0),
    max_in_flight_requests: integer(1, 64),
    request_timeout: duration(1),
    retry_initial_backoff: duration(1),
    retry_max_backoff: duration(1),
    dead_letter_file: nonEmptyString,
  },
  ['hosts'],
);

const writerKafka = closed(
  {
    brokers: kafkaOutput.properties.brokers,
    topic: topicName,
    group_id: nonEmptyString,
    client_id: nonEmptyString,
    request_timeout: duration(1),
    session_timeout: duration(6000, 300_000),
    start_at: oneOf('earliest', 'latest'),
    dead_letter_topic: topicName,
    sasl: kafkaSasl,
    tls: kafkaTls,
  },
  ['brokers', 'topic'],
);

const anyString: Schema = { type: 'string' };
const cacheSize = integer(2, 10_000_000);

const enrichSection = closed({
  geoip: closed({
    enabled: boolean,
    database: anyString,
    database_ipv6: anyString,
    asn_database: anyString,
    ipv6: boolean,
    cache_size: cacheSize,
  }),
  user_agent: closed({ enabled: boolean, cache_size: cacheSize }),
  trusted_proxies: {
    type: 'array',
    items: {
      type: 'string',
      format: 'cidr',
      'x-message': 'a CIDR block like 10.0.0.0/8 or 2001:db8::/32, a single address, or unix:',
    },
  },
  kubernetes: closed({
    enabled: boolean,
    pod_name_env: nonEmptyString,
    namespace_env: nonEmptyString,
    node_name_env: nonEmptyString,
    container_name_env: nonEmptyString,
    labels_file: anyString,
  }),
});

const alertRule = closed(
  {
    name: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
      'x-message':
        'a name of letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)',
    },
    type: oneOf('error_ratio', 'latency', 'no_events'),
    window: duration(1000, 3_600_000),
    // A ratio for error_ratio, a duration for latency: checked per type in checks.ts.
    threshold: {},
    percentile: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 100,
      'x-message': 'a percentile above 0 and below 100, e.g. 99 or 99.9',
    },
    min_events: integer(1, 1_000_000_000),
  },
  ['name', 'type'],
);

const alertsSection = closed({
  rules: { type: 'array', items: alertRule },
  cooldown: duration(0),
  send_resolved: boolean,
  webhook: closed(
    {
      url: {
        type: 'string',
        format: 'http-url',
        'x-message': 'a URL like https://hooks.example.com/services/...',
      },
      timeout: duration(1, 300_000),
      retries: integer(0, 10),
      headers: { type: 'object', additionalProperties: anyString },
    },
    ['url'],
  ),
});

export const OUTPUT_KINDS = ['stdout', 'file', 'kafka', 'elasticsearch'] as const;

export const configSchema: Schema = closed(
  {
    data_dir: nonEmptyString,
    inputs: { type: 'array', minItems: 1, items: fileInput },
    registry: closed({ flush_interval: duration(0), clean_after: duration(0, 3650 * DAY_MS) }),
    pipeline: closed({
      batch_max_events: integer(1, 1_000_000),
      batch_max_bytes: size(1, GIB),
      batch_max_wait: duration(0),
      max_in_flight_events: integer(1, 100_000_000),
      max_in_flight_bytes: size(1, 64 * GIB),
    }),
    // Exactly one kind: min/maxProperties on a closed mapping, worded by validate.ts.
    output: {
      ...closed({
        stdout: stdoutOutput,
        file: fileOutput,
        kafka: kafkaOutput,
        elasticsearch: elasticsearchOutput,
      }),
      minProperties: 1,
      maxProperties: 1,
    },
    server: closed({
      enabled: boolean,
      listen: {
        type: 'string',
        format: 'host-port',
        'x-message': 'HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8686',
      },
      allowed_hosts: { type: 'array', items: nonEmptyString },
      auth: closed({ token_file: anyString, token_env: anyString }),
      show_query_strings: boolean,
      mask_client_ips: boolean,
    }),
    logging: closed({ level: oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent') }),
    shutdown: closed({ timeout: duration(1) }),
    host_name: { type: 'string' },
    writer: closed({ kafka: writerKafka }, ['kafka']),
    enrich: enrichSection,
    alerts: alertsSection,
  },
  ['output'],
);
// A writer-only file needs no inputs; validate.ts drops the bare "if" error ajv adds.
configSchema.if = { properties: { writer: false } };
configSchema.then = { properties: { inputs: true }, required: ['inputs'] };
