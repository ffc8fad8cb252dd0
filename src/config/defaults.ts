// Every default, in one place and in the units a user would write; config/logpod.yaml
// documents the same values (a test keeps the two in step). Defaults fill in after the
// schema has validated what the user wrote; the schema itself declares none.

export const INPUT_DEFAULTS = {
  type: 'file',
  exclude: [] as string[],
  format: 'main',
  timezone: '+00:00',
  start_at: 'end',
  fingerprint_bytes: 1024,
  max_line_bytes: '1MiB',
  read_buffer_bytes: '64KiB',
  partial_line_timeout: '5s',
  rescan_interval: '10s',
  close_inactive: '5m',
  close_renamed: '30s',
  max_open_files: 256,
  fields: {} as Record<string, unknown>,
  tags: [] as string[],
} as const;

/** The id of an input that does not name itself. */
export function defaultInputId(index: number): string {
  return `input-${index}`;
}

export const FILE_OUTPUT_DEFAULTS = {
  fsync: true,
} as const;

export const KAFKA_TLS_DEFAULTS = {
  enabled: false,
  reject_unauthorized: true,
} as const;

export const KAFKA_OUTPUT_DEFAULTS = {
  client_id: 'logpod',
  acks: 'all',
  idempotent: true,
  compression: 'gzip',
  gzip_level: 3,
  packing: 'ndjson',
  record_max_bytes: '64KiB',
  batch_bytes: '1MiB',
  linger: '50ms',
  max_in_flight_requests: 5,
  request_timeout: '30s',
  allow_auto_topic_creation: false,
} as const;

export const ELASTICSEARCH_TLS_DEFAULTS = {
  reject_unauthorized: true,
} as const;

export const ELASTICSEARCH_TEMPLATE_DEFAULTS = {
  install: true,
  name: '',
  priority: 200,
  shards: 1,
  replicas: 1,
  refresh_interval: '5s',
} as const;

export const ELASTICSEARCH_OUTPUT_DEFAULTS = {
  data_stream: 'logs-{{dataset}}-default',
  batch_max_events: 1000,
  batch_max_bytes: '5MiB',
  batch_max_wait: '1s',
  max_in_flight_requests: 2,
  request_timeout: '30s',
  retry_initial_backoff: '250ms',
  retry_max_backoff: '30s',
  dead_letter_file: 'dead-letter/elasticsearch.ndjson',
} as const;

export const WRITER_KAFKA_DEFAULTS = {
  group_id: 'logpod-writer',
  client_id: 'logpod-writer',
  request_timeout: '30s',
  session_timeout: '30s',
  start_at: 'earliest',
} as const;

/** The dead-letter topic of a writer that names none. */
export function defaultDeadLetterTopic(topic: string): string {
  return `${topic}-dlq`;
}

export const ENRICH_DEFAULTS = {
  geoip: {
    enabled: true,
    database: '',
    database_ipv6: '',
    asn_database: '',
    ipv6: true,
    cache_size: 10000,
  },
  user_agent: {
    enabled: true,
    cache_size: 10000,
  },
  trusted_proxies: [] as string[],
  kubernetes: {
    enabled: true,
    pod_name_env: 'POD_NAME',
    namespace_env: 'POD_NAMESPACE',
    node_name_env: 'NODE_NAME',
    container_name_env: 'CONTAINER_NAME',
    labels_file: '/etc/podinfo/labels',
  },
} as const;

export const ALERTS_DEFAULTS = {
  rules: [] as unknown[],
  cooldown: '10m',
  send_resolved: true,
} as const;

export const ALERT_RULE_DEFAULTS = {
  window: '1m',
  min_events: 20,
  percentile: 99,
} as const;

export const ALERT_WEBHOOK_DEFAULTS = {
  timeout: '5s',
  retries: 2,
  headers: {} as Record<string, string>,
} as const;

export const DEFAULTS = {
  data_dir: '/var/lib/logpod',
  registry: {
    flush_interval: '1s',
    clean_after: '24h',
  },
  pipeline: {
    batch_max_events: 2048,
    batch_max_bytes: '1MiB',
    batch_max_wait: '200ms',
    max_in_flight_events: 65536,
    max_in_flight_bytes: '32MiB',
  },
  server: {
    enabled: true,
    listen: '127.0.0.1:8686',
    allowed_hosts: [] as string[],
    auth: {
      token_file: '',
      token_env: '',
    },
    show_query_strings: false,
    mask_client_ips: false,
  },
  logging: {
    level: 'info',
  },
  shutdown: {
    timeout: '25s',
  },
  /** Empty means os.hostname(). */
  host_name: '',
} as const;
