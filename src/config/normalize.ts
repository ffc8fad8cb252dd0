// From a validated raw tree to the typed Config: defaults fill every missing key, durations
// become milliseconds, sizes bytes, and implied values are settled (log_format alone means
// format custom, an empty host_name means os.hostname()). Only call it on a tree that passed.

import os from 'node:os';
import { splitBrokers } from './address.js';
import {
  DEFAULTS,
  ELASTICSEARCH_OUTPUT_DEFAULTS,
  ELASTICSEARCH_TEMPLATE_DEFAULTS,
  ELASTICSEARCH_TLS_DEFAULTS,
  FILE_OUTPUT_DEFAULTS,
  WRITER_KAFKA_DEFAULTS,
  ALERT_RULE_DEFAULTS,
  ALERT_WEBHOOK_DEFAULTS,
  ALERTS_DEFAULTS,
  ENRICH_DEFAULTS,
  defaultDeadLetterTopic,
  INPUT_DEFAULTS,
  KAFKA_OUTPUT_DEFAULTS,
  KAFKA_TLS_DEFAULTS,
  defaultInputId,
} from './defaults.js';
import type {
  AlertRuleConfig,
  AlertsConfig,
  Config,
  EnrichConfig,
  ElasticsearchOutputConfig,
  WriterConfig,
  FileInputConfig,
  KafkaOutputConfig,
  KafkaSaslConfig,
  KafkaTlsConfig,
  OutputConfig,
} from './types.js';
import { parseDuration, parseSize, tryParseRatio } from './units.js';

// The tree passed the schema, so every present value has the right shape; `any` keeps the
// field-by-field copy below readable instead of casting each read.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Raw = any;

function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function ms(value: string | number | undefined, fallback: string | number): number {
  return parseDuration(pick(value, fallback));
}

function bytes(value: string | number | undefined, fallback: string | number): number {
  return parseSize(pick(value, fallback));
}

function normalizeInput(raw: Raw, index: number): FileInputConfig {
  const d = INPUT_DEFAULTS;
  const format = raw.format ?? (raw.log_format !== undefined ? 'custom' : d.format);
  const input: FileInputConfig = {
    type: 'file',
    id: pick(raw.id, defaultInputId(index)),
    paths: [...raw.paths],
    exclude: [...pick(raw.exclude, d.exclude)],
    format,
    timezone: pick(raw.timezone, d.timezone),
    start_at: pick(raw.start_at, d.start_at),
    fingerprint_bytes: bytes(raw.fingerprint_bytes, d.fingerprint_bytes),
    max_line_bytes: bytes(raw.max_line_bytes, d.max_line_bytes),
    read_buffer_bytes: bytes(raw.read_buffer_bytes, d.read_buffer_bytes),
    partial_line_timeout: ms(raw.partial_line_timeout, d.partial_line_timeout),
    rescan_interval: ms(raw.rescan_interval, d.rescan_interval),
    close_inactive: ms(raw.close_inactive, d.close_inactive),
    close_renamed: ms(raw.close_renamed, d.close_renamed),
    max_open_files: pick(raw.max_open_files, d.max_open_files),
    fields: structuredClone(pick(raw.fields, d.fields)),
    tags: [...pick(raw.tags, d.tags)],
  };
  if (format === 'custom') input.log_format = raw.log_format;
  return input;
}

function normalizeTls(raw: Raw): KafkaTlsConfig {
  const tls: KafkaTlsConfig = {
    enabled: pick(raw?.enabled, KAFKA_TLS_DEFAULTS.enabled),
    reject_unauthorized: pick(raw?.reject_unauthorized, KAFKA_TLS_DEFAULTS.reject_unauthorized),
  };
  for (const key of ['ca_file', 'cert_file', 'key_file', 'key_passphrase'] as const) {
    if (raw?.[key] !== undefined) tls[key] = raw[key];
  }
  return tls;
}

function normalizeKafka(raw: Raw): KafkaOutputConfig {
  const d = KAFKA_OUTPUT_DEFAULTS;
  const kafka: KafkaOutputConfig = {
    brokers: raw.brokers.flatMap(splitBrokers),
    topic: raw.topic,
    client_id: pick(raw.client_id, d.client_id),
    acks: pick(raw.acks, d.acks),
    idempotent: pick(raw.idempotent, d.idempotent),
    compression: pick(raw.compression, d.compression),
    gzip_level: pick(raw.gzip_level, d.gzip_level),
    packing: pick(raw.packing, d.packing),
    record_max_bytes: bytes(raw.record_max_bytes, d.record_max_bytes),
    batch_bytes: bytes(raw.batch_bytes, d.batch_bytes),
    linger: ms(raw.linger, d.linger),
    max_in_flight_requests: pick(raw.max_in_flight_requests, d.max_in_flight_requests),
    request_timeout: ms(raw.request_timeout, d.request_timeout),
    allow_auto_topic_creation: pick(raw.allow_auto_topic_creation, d.allow_auto_topic_creation),
    tls: normalizeTls(raw.tls),
  };
  const sasl = normalizeSasl(raw.sasl);
  if (sasl !== undefined) kafka.sasl = sasl;
  return kafka;
}

function normalizeSasl(raw: Raw): KafkaSaslConfig | undefined {
  if (raw === undefined) return undefined;
  return { mechanism: raw.mechanism, username: raw.username, password: raw.password };
}

function normalizeElasticsearch(raw: Raw): ElasticsearchOutputConfig {
  const d = ELASTICSEARCH_OUTPUT_DEFAULTS;
  const t = ELASTICSEARCH_TEMPLATE_DEFAULTS;
  const template = raw.template ?? {};
  const es: ElasticsearchOutputConfig = {
    hosts: [...raw.hosts],
    tls: {
      reject_unauthorized: pick(
        raw.tls?.reject_unauthorized,
        ELASTICSEARCH_TLS_DEFAULTS.reject_unauthorized,
      ),
    },
    template: {
      install: pick(template.install, t.install),
      name: pick(template.name, t.name),
      priority: pick(template.priority, t.priority),
      shards: pick(template.shards, t.shards),
      replicas: pick(template.replicas, t.replicas),
      refresh_interval: ms(template.refresh_interval, t.refresh_interval),
    },
    batch_max_events: pick(raw.batch_max_events, d.batch_max_events),
    batch_max_bytes: bytes(raw.batch_max_bytes, d.batch_max_bytes),
    batch_max_wait: ms(raw.batch_max_wait, d.batch_max_wait),
    max_in_flight_requests: pick(raw.max_in_flight_requests, d.max_in_flight_requests),
    request_timeout: ms(raw.request_timeout, d.request_timeout),
    retry_initial_backoff: ms(raw.retry_initial_backoff, d.retry_initial_backoff),
    retry_max_backoff: ms(raw.retry_max_backoff, d.retry_max_backoff),
    dead_letter_file: pick(raw.dead_letter_file, d.dead_letter_file),
  };
  if (raw.index !== undefined) es.index = raw.index;
  else es.data_stream = pick(raw.data_stream, d.data_stream);
  if (raw.tls?.ca_file !== undefined) es.tls.ca_file = raw.tls.ca_file;
  for (const key of ['username', 'password', 'api_key'] as const) {
    if (raw[key] !== undefined) es[key] = raw[key];
  }
  return es;
}

function normalizeWriter(raw: Raw): WriterConfig | undefined {
  if (raw === undefined) return undefined;
  const d = WRITER_KAFKA_DEFAULTS;
  const k = raw.kafka;
  const writer: WriterConfig = {
    kafka: {
      brokers: k.brokers.flatMap(splitBrokers),
      topic: k.topic,
      group_id: pick(k.group_id, d.group_id),
      client_id: pick(k.client_id, d.client_id),
      request_timeout: ms(k.request_timeout, d.request_timeout),
      session_timeout: ms(k.session_timeout, d.session_timeout),
      start_at: pick(k.start_at, d.start_at),
      dead_letter_topic: pick(k.dead_letter_topic, defaultDeadLetterTopic(k.topic)),
      tls: normalizeTls(k.tls),
    },
  };
  const sasl = normalizeSasl(k.sasl);
  if (sasl !== undefined) writer.kafka.sasl = sasl;
  return writer;
}

function normalizeOutput(raw: Raw): OutputConfig {
  if (raw.kafka !== undefined) return { kafka: normalizeKafka(raw.kafka) };
  if (raw.elasticsearch !== undefined)
    return { elasticsearch: normalizeElasticsearch(raw.elasticsearch) };
  if (raw.file !== undefined) {
    return {
      file: { path: raw.file.path, fsync: pick(raw.file.fsync, FILE_OUTPUT_DEFAULTS.fsync) },
    };
  }
  return { stdout: {} };
}

function normalizeEnrich(raw: Raw): EnrichConfig {
  const d = ENRICH_DEFAULTS;
  const geoip = raw?.geoip ?? {};
  const ua = raw?.user_agent ?? {};
  const k8s = raw?.kubernetes ?? {};
  return {
    geoip: {
      enabled: pick(geoip.enabled, d.geoip.enabled),
      database: pick(geoip.database, d.geoip.database),
      database_ipv6: pick(geoip.database_ipv6, d.geoip.database_ipv6),
      asn_database: pick(geoip.asn_database, d.geoip.asn_database),
      ipv6: pick(geoip.ipv6, d.geoip.ipv6),
      cache_size: pick(geoip.cache_size, d.geoip.cache_size),
    },
    user_agent: {
      enabled: pick(ua.enabled, d.user_agent.enabled),
      cache_size: pick(ua.cache_size, d.user_agent.cache_size),
    },
    trusted_proxies: [...pick(raw?.trusted_proxies, d.trusted_proxies)],
    kubernetes: {
      enabled: pick(k8s.enabled, d.kubernetes.enabled),
      pod_name_env: pick(k8s.pod_name_env, d.kubernetes.pod_name_env),
      namespace_env: pick(k8s.namespace_env, d.kubernetes.namespace_env),
      node_name_env: pick(k8s.node_name_env, d.kubernetes.node_name_env),
      container_name_env: pick(k8s.container_name_env, d.kubernetes.container_name_env),
      labels_file: pick(k8s.labels_file, d.kubernetes.labels_file),
    },
  };
}

function normalizeAlertRule(raw: Raw): AlertRuleConfig {
  const d = ALERT_RULE_DEFAULTS;
  const name = raw.name as string;
  const window = ms(raw.window, d.window);
  if (raw.type === 'no_events') return { name, type: 'no_events', window };
  const min_events = pick(raw.min_events, d.min_events);
  if (raw.type === 'error_ratio') {
    const threshold = tryParseRatio(raw.threshold) as number;
    return { name, type: 'error_ratio', threshold, window, min_events };
  }
  const percentile = pick(raw.percentile, d.percentile);
  const threshold = parseDuration(raw.threshold);
  return { name, type: 'latency', threshold, percentile, window, min_events };
}

function normalizeAlerts(raw: Raw): AlertsConfig {
  const d = ALERTS_DEFAULTS;
  const alerts: AlertsConfig = {
    rules: (raw?.rules ?? []).map(normalizeAlertRule),
    cooldown: ms(raw?.cooldown, d.cooldown),
    send_resolved: pick(raw?.send_resolved, d.send_resolved),
  };
  const webhook = raw?.webhook;
  if (webhook !== undefined) {
    const w = ALERT_WEBHOOK_DEFAULTS;
    alerts.webhook = {
      url: webhook.url,
      timeout: ms(webhook.timeout, w.timeout),
      retries: pick(webhook.retries, w.retries),
      headers: { ...pick(webhook.headers, w.headers) },
    };
  }
  return alerts;
}

/** The typed Config of a tree that passed schemaProblems and crossKeyProblems. */
export function normalizeConfig(raw: Raw): Config {
  const d = DEFAULTS;
  const registry = raw.registry ?? {};
  const pipeline = raw.pipeline ?? {};
  const hostName = pick(raw.host_name, d.host_name);
  const config: Config = {
    data_dir: pick(raw.data_dir, d.data_dir),
    inputs: (raw.inputs ?? []).map(normalizeInput),
    registry: {
      flush_interval: ms(registry.flush_interval, d.registry.flush_interval),
      clean_after: ms(registry.clean_after, d.registry.clean_after),
    },
    pipeline: {
      batch_max_events: pick(pipeline.batch_max_events, d.pipeline.batch_max_events),
      batch_max_bytes: bytes(pipeline.batch_max_bytes, d.pipeline.batch_max_bytes),
      batch_max_wait: ms(pipeline.batch_max_wait, d.pipeline.batch_max_wait),
      max_in_flight_events: pick(pipeline.max_in_flight_events, d.pipeline.max_in_flight_events),
      max_in_flight_bytes: bytes(pipeline.max_in_flight_bytes, d.pipeline.max_in_flight_bytes),
    },
    output: normalizeOutput(raw.output),
    server: {
      enabled: pick(raw.server?.enabled, d.server.enabled),
      listen: pick(raw.server?.listen, d.server.listen),
      allowed_hosts: [...pick(raw.server?.allowed_hosts, d.server.allowed_hosts)],
      auth: {
        token_file: pick(raw.server?.auth?.token_file, d.server.auth.token_file),
        token_env: pick(raw.server?.auth?.token_env, d.server.auth.token_env),
      },
      show_query_strings: pick(raw.server?.show_query_strings, d.server.show_query_strings),
      mask_client_ips: pick(raw.server?.mask_client_ips, d.server.mask_client_ips),
    },
    logging: { level: pick(raw.logging?.level, d.logging.level) },
    shutdown: { timeout: ms(raw.shutdown?.timeout, d.shutdown.timeout) },
    host_name: hostName === '' ? os.hostname() : hostName,
    enrich: normalizeEnrich(raw.enrich),
    alerts: normalizeAlerts(raw.alerts),
  };
  const writer = normalizeWriter(raw.writer);
  if (writer !== undefined) config.writer = writer;
  return config;
}
