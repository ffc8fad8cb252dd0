// The validated, defaulted configuration every component reads. Key names are the YAML
// keys (snake_case). Units are normalized when loading: every duration is a whole number
// of milliseconds and every size a whole number of bytes, whatever the user wrote.

/** Milliseconds ('5s' in the file becomes 5000). */
export type Millis = number;
/** Bytes ('1MiB' in the file becomes 1048576; '1KB' becomes 1000). */
export type Bytes = number;

export type InputFormat = 'combined' | 'main' | 'json' | 'error' | 'custom';
export type StartAt = 'beginning' | 'end';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type KafkaAcks = 'all' | 'leader' | 'none';
export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
/** How events become Kafka records: many as NDJSON lines, or one each. */
export type KafkaPacking = 'ndjson' | 'none';
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** The Kafka protocol value of each `acks` setting. */
export const KAFKA_ACKS: Readonly<Record<KafkaAcks, -1 | 0 | 1>> = { all: -1, leader: 1, none: 0 };

export interface FileInputConfig {
  type: 'file';
  /** Unique among inputs; "input-<index>" when not given. Letters, digits, '.', '_', '-'. */
  id: string;
  /** Glob patterns, at least one. Relative patterns are relative to the working directory. */
  paths: string[];
  /** Glob patterns; one without '/' matches the file name, one with '/' the full path. */
  exclude: string[];
  /** 'custom' when only log_format was given. */
  format: InputFormat;
  /** The nginx log_format string; present exactly when format is 'custom'. */
  log_format?: string;
  /** UTC offset '+HH:MM' / '-HH:MM' for lines whose time has no zone (error logs). */
  timezone: string;
  /** Where to start in a file seen for the first time (the registry wins after that). */
  start_at: StartAt;
  /** Bytes at the start of a file hashed into its identity (64..65536). */
  fingerprint_bytes: Bytes;
  /** Longer lines are cut to this many bytes and tagged _truncated. */
  max_line_bytes: Bytes;
  read_buffer_bytes: Bytes;
  /** An unfinished last line is emitted after this long without a newline. */
  partial_line_timeout: Millis;
  /** Periodic discovery, a fallback for missed file-system events. */
  rescan_interval: Millis;
  /** A file with no new data for this long is closed (reopened when it grows). */
  close_inactive: Millis;
  /** A rotated-away file is read at most this long after it stops growing. */
  close_renamed: Millis;
  /** Cap on open descriptors for this input; files beyond it are scheduled fairly. */
  max_open_files: number;
  /** Extra fields merged into every event. */
  fields: Record<string, unknown>;
  /** Extra tags on every event. */
  tags: string[];
}

export type InputConfig = FileInputConfig;

export interface RegistryConfig {
  /** How often acknowledged positions are written to disk. */
  flush_interval: Millis;
  /** Entries of files gone for longer than this are forgotten. */
  clean_after: Millis;
}

export interface PipelineConfig {
  batch_max_events: number;
  batch_max_bytes: Bytes;
  /** A batch that is not full is sent after this long. */
  batch_max_wait: Millis;
  /** Reading pauses while this many events are unacknowledged... */
  max_in_flight_events: number;
  /** ...or this many bytes of encoded events. */
  max_in_flight_bytes: Bytes;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no options yet
export interface StdoutOutputConfig {}

export interface FileOutputConfig {
  /** NDJSON is appended here; relative to the working directory. */
  path: string;
  /** fsync after each flush, before acknowledging. */
  fsync: boolean;
}

export interface KafkaSaslConfig {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface KafkaTlsConfig {
  enabled: boolean;
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  key_passphrase?: string;
  reject_unauthorized: boolean;
}

export interface KafkaOutputConfig {
  /** HOST:PORT strings, at least one; comma-separated items in the file are split here. */
  brokers: string[];
  /** May contain {{format}} and {{input}}, replaced per event by the input's format and id. */
  topic: string;
  client_id: string;
  /** Protocol value in KAFKA_ACKS. */
  acks: KafkaAcks;
  idempotent: boolean;
  compression: KafkaCompression;
  /** zlib level of the gzip codec, 1 to 9. */
  gzip_level: number;
  packing: KafkaPacking;
  /** With packing ndjson: the most bytes of events in one record (one bigger event is a record alone). */
  record_max_bytes: Bytes;
  batch_bytes: Bytes;
  linger: Millis;
  max_in_flight_requests: number;
  request_timeout: Millis;
  allow_auto_topic_creation: boolean;
  sasl?: KafkaSaslConfig;
  tls: KafkaTlsConfig;
}

export interface ElasticsearchTlsConfig {
  /** PEM file of the CA that signed the nodes' certificates; the system CAs otherwise. */
  ca_file?: string;
  reject_unauthorized: boolean;
}

export interface ElasticsearchTemplateConfig {
  /** PUT the index template at start (idempotent). */
  install: boolean;
  /** Template name; derived from the target pattern when the file leaves it empty. */
  name: string;
  /** Above the built-in logs-*-* template (100) so ours wins. */
  priority: number;
  shards: number;
  replicas: number;
  refresh_interval: Millis;
}

export interface ElasticsearchOutputConfig {
  /** Node URLs, at least one (http:// or https://). */
  hosts: string[];
  /** Exactly one of data_stream and index is set after loading. {{dataset}} is replaced per event. */
  data_stream?: string;
  /** Dated indices: {{dataset}}, %Y, %m, %d from the event's @timestamp (UTC). */
  index?: string;
  username?: string;
  password?: string;
  api_key?: string;
  tls: ElasticsearchTlsConfig;
  template: ElasticsearchTemplateConfig;
  batch_max_events: number;
  batch_max_bytes: Bytes;
  batch_max_wait: Millis;
  max_in_flight_requests: number;
  request_timeout: Millis;
  retry_initial_backoff: Millis;
  retry_max_backoff: Millis;
  /** Rejected documents of the direct output (no dead-letter topic); relative to data_dir. */
  dead_letter_file: string;
}

/** Exactly one output kind is set; test with `output.kafka !== undefined` and so on. */
export type OutputConfig =
  | { stdout: StdoutOutputConfig; file?: undefined; kafka?: undefined; elasticsearch?: undefined }
  | { file: FileOutputConfig; stdout?: undefined; kafka?: undefined; elasticsearch?: undefined }
  | { kafka: KafkaOutputConfig; stdout?: undefined; file?: undefined; elasticsearch?: undefined }
  | {
      elasticsearch: ElasticsearchOutputConfig;
      stdout?: undefined;
      file?: undefined;
      kafka?: undefined;
    };

export type OutputKind = 'stdout' | 'file' | 'kafka' | 'elasticsearch';

export type WriterStartAt = 'earliest' | 'latest';

/** The writer's consumer: same connection keys as output.kafka, so kafkaClientOptions applies. */
export interface WriterKafkaConfig {
  brokers: string[];
  /** The events topic to consume. */
  topic: string;
  group_id: string;
  client_id: string;
  request_timeout: Millis;
  session_timeout: Millis;
  /** Where a group with no committed offset starts. */
  start_at: WriterStartAt;
  /** Rejected documents and unreadable messages go here; "<topic>-dlq" when not given. */
  dead_letter_topic: string;
  sasl?: KafkaSaslConfig;
  tls: KafkaTlsConfig;
}

export interface WriterConfig {
  kafka: WriterKafkaConfig;
}

export interface ServerConfig {
  enabled: boolean;
  /** HOST:PORT; parse it with parseHostPort from address.ts. */
  listen: string;
  /** Host header names the dashboard and /status accept besides localhost, the listen host and $POD_IP. */
  allowed_hosts: string[];
  /** The token that opens the dashboard and /status to non-loopback clients; both '' = none. */
  auth: ServerAuthConfig;
  /** URLs on the dashboard keep their query string (tokens, session ids). */
  show_query_strings: boolean;
  /** Client addresses on the dashboard show their network only (IPv4 /24, IPv6 /48). */
  mask_client_ips: boolean;
}

export interface ServerAuthConfig {
  /** A file holding the token (a mounted Secret); '' = none. */
  token_file: string;
  /** The name of an environment variable holding the token; '' = none. */
  token_env: string;
}

export interface LoggingConfig {
  /** LOGPOD_LOG_LEVEL, when set, overrides the file. */
  level: LogLevel;
}

export interface ShutdownConfig {
  /** Upper bound on draining and flushing at shutdown. */
  timeout: Millis;
}

export interface GeoIpConfig {
  enabled: boolean;
  /** MMDB file for IPv4 (and IPv6 unless database_ipv6 is set); '' = the bundled DB-IP lite file. */
  database: string;
  /** MMDB file for IPv6 only; '' = database answers IPv6 (bundled: the DB-IP lite IPv6 file). */
  database_ipv6: string;
  /** GeoLite2-ASN layout MMDB for source.as.*; '' = none. */
  asn_database: string;
  /** Look up public IPv6 addresses (loads the IPv6 file on the first one). */
  ipv6: boolean;
  /** Addresses whose result is kept (LRU). */
  cache_size: number;
}

export interface UserAgentConfig {
  enabled: boolean;
  /** User agents whose parsed result is kept (LRU). */
  cache_size: number;
}

export interface KubernetesConfig {
  enabled: boolean;
  pod_name_env: string;
  namespace_env: string;
  node_name_env: string;
  container_name_env: string;
  /** The downward API labels file; '' for none. */
  labels_file: string;
}

export interface EnrichConfig {
  geoip: GeoIpConfig;
  user_agent: UserAgentConfig;
  /** CIDR blocks (and 'unix:') whose X-Forwarded-For is believed; [] = never. */
  trusted_proxies: string[];
  kubernetes: KubernetesConfig;
}

export type AlertRuleType = 'error_ratio' | 'latency' | 'no_events';

interface AlertRuleBase {
  name: string;
  /** The rule looks at the last `window` of events. */
  window: Millis;
}

/** Fires when the share of 5xx responses is above `threshold` (0..1). */
export interface ErrorRatioRuleConfig extends AlertRuleBase {
  type: 'error_ratio';
  threshold: number;
  /** Fewer responses than this in the window never fire. */
  min_events: number;
}

/** Fires when the `percentile` of request time (event.duration) is above `threshold`. */
export interface LatencyRuleConfig extends AlertRuleBase {
  type: 'latency';
  threshold: Millis;
  percentile: number;
  min_events: number;
}

/** Fires when no line at all was read for `window`. */
export interface NoEventsRuleConfig extends AlertRuleBase {
  type: 'no_events';
}

export type AlertRuleConfig = ErrorRatioRuleConfig | LatencyRuleConfig | NoEventsRuleConfig;

export interface AlertWebhookConfig {
  /** POSTed JSON; may hold a secret (never logged in full, redacted by `logpod check`). */
  url: string;
  timeout: Millis;
  /** Attempts after the first one, on network errors, 408, 429 and 5xx. */
  retries: number;
  /** Extra request headers (e.g. Authorization); values redacted by `logpod check`. */
  headers: Record<string, string>;
}

export interface AlertsConfig {
  rules: AlertRuleConfig[];
  /** After a notification, the same rule does not notify again for this long. */
  cooldown: Millis;
  /** Notify when a firing rule clears. */
  send_resolved: boolean;
  webhook?: AlertWebhookConfig;
}

export interface Config {
  /** Registry and other state; relative to the working directory. */
  data_dir: string;
  /** At least one unless the file configures the writer (then possibly none). */
  inputs: InputConfig[];
  registry: RegistryConfig;
  pipeline: PipelineConfig;
  output: OutputConfig;
  /** `logpod writer` (Kafka -> Elasticsearch); absent in agent-only files. */
  writer?: WriterConfig;
  server: ServerConfig;
  logging: LoggingConfig;
  shutdown: ShutdownConfig;
  /** host.name on events; os.hostname() when the file leaves it empty. */
  host_name: string;
  /** GeoIP, user agent, client address behind proxies, Kubernetes metadata. */
  enrich: EnrichConfig;
  alerts: AlertsConfig;
}
