// The validated, defaulted configuration every component reads, typed from the schema
// (schema.ts, output-schema.ts) rather than written a second time. Key names are the YAML
// keys (snake_case). Every duration is a whole number of milliseconds and every size a
// whole number of bytes, whatever the user wrote. Loading settles a few values the schema
// cannot default on its own (normalize.ts): they are the overrides below.

import type { FromSchema } from './json-schema.js';
import type {
  elasticsearchOutput,
  fileOutput,
  kafkaOutput,
  OUTPUT_KINDS,
  outputSection,
  writerKafka,
} from './output-schema.js';
import type { alertRule, configSchema, fileInput } from './schema.js';

/** Milliseconds ('5s' in the file becomes 5000). */
export type Millis = number;
/** Bytes ('1MiB' in the file becomes 1048576; '1KB' becomes 1000). */
export type Bytes = number;

type Settled = FromSchema<typeof configSchema>;

/** `id` is "input-<index>" when not given; `log_format` is kept exactly when format is custom. */
export type FileInputConfig = FromSchema<typeof fileInput> & { id: string };
export type InputConfig = FileInputConfig;
export type InputFormat = FileInputConfig['format'];
export type StartAt = FileInputConfig['start_at'];

export type RegistryConfig = Settled['registry'];
export type PipelineConfig = Settled['pipeline'];
export type ServerConfig = Settled['server'];
export type ServerAuthConfig = ServerConfig['auth'];
export type LoggingConfig = Settled['logging'];
export type LogLevel = LoggingConfig['level'];
export type ShutdownConfig = Settled['shutdown'];

export type FileOutputConfig = FromSchema<typeof fileOutput>;
export type KafkaOutputConfig = FromSchema<typeof kafkaOutput>;
export type KafkaAcks = KafkaOutputConfig['acks'];
export type KafkaCompression = KafkaOutputConfig['compression'];
export type KafkaTlsConfig = KafkaOutputConfig['tls'];
export type KafkaSaslConfig = NonNullable<KafkaOutputConfig['sasl']>;
export type SaslMechanism = KafkaSaslConfig['mechanism'];

/** The Kafka protocol value of each `acks` setting. */
export const KAFKA_ACKS: Readonly<Record<KafkaAcks, -1 | 0 | 1>> = { all: -1, leader: 1, none: 0 };

/** Exactly one of data_stream and index is set after loading. */
export type ElasticsearchOutputConfig = Omit<
  FromSchema<typeof elasticsearchOutput>,
  'data_stream'
> & { data_stream?: string };
export type ElasticsearchTlsConfig = ElasticsearchOutputConfig['tls'];
export type ElasticsearchTemplateConfig = ElasticsearchOutputConfig['template'];

export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** The options of each output kind, as the file writes them under `output.<kind>`. */
export type OutputSettings = {
  [K in OutputKind]: K extends 'elasticsearch'
    ? ElasticsearchOutputConfig
    : NonNullable<FromSchema<typeof outputSection>[K]>;
};

/** The one output, tagged with its kind: `switch (output.kind)` narrows it. */
export type OutputConfig = { [K in OutputKind]: { kind: K } & OutputSettings[K] }[OutputKind];

/** The writer's consumer: same connection keys as output.kafka, so kafkaClientOptions applies. */
export type WriterKafkaConfig = FromSchema<typeof writerKafka> & { dead_letter_topic: string };
export type WriterStartAt = WriterKafkaConfig['start_at'];
export interface WriterConfig {
  kafka: WriterKafkaConfig;
}

export type EnrichConfig = Settled['enrich'];
export type GeoIpConfig = EnrichConfig['geoip'];
export type UserAgentConfig = EnrichConfig['user_agent'];
export type KubernetesConfig = EnrichConfig['kubernetes'];

type AlertRuleFields = FromSchema<typeof alertRule>;
export type AlertRuleType = AlertRuleFields['type'];
type AlertRuleBase = Pick<AlertRuleFields, 'name' | 'window'>;

/** Fires when the share of 5xx responses is above `threshold` (0..1). */
export type ErrorRatioRuleConfig = AlertRuleBase &
  Pick<AlertRuleFields, 'min_events'> & { type: 'error_ratio'; threshold: number };

/** Fires when the `percentile` of request time (event.duration) is above `threshold`. */
export type LatencyRuleConfig = AlertRuleBase &
  Pick<AlertRuleFields, 'percentile' | 'min_events'> & { type: 'latency'; threshold: Millis };

/** Fires when no line at all was read for `window`. */
export type NoEventsRuleConfig = AlertRuleBase & { type: 'no_events' };

export type AlertRuleConfig = ErrorRatioRuleConfig | LatencyRuleConfig | NoEventsRuleConfig;

export type AlertsConfig = Omit<Settled['alerts'], 'rules'> & { rules: AlertRuleConfig[] };
export type AlertWebhookConfig = NonNullable<AlertsConfig['webhook']>;

export type Config = Omit<Settled, 'inputs' | 'output' | 'writer' | 'alerts'> & {
  /** At least one unless the file configures the writer (then possibly none). */
  inputs: InputConfig[];
  output: OutputConfig;
  /** `logpod writer` (Kafka -> Elasticsearch); absent in agent-only files. */
  writer?: WriterConfig;
  alerts: AlertsConfig;
};
