// From a validated raw tree to the typed Config: defaults fill every missing key, durations
// become milliseconds, sizes bytes, and implied values are settled (log_format alone means
// format custom, an empty host_name means os.hostname()). Only call it on a tree that passed.

import os from 'node:os';
import { splitBrokers } from './address.js';
import {
  DEFAULTS,
  FILE_OUTPUT_DEFAULTS,
  INPUT_DEFAULTS,
  KAFKA_OUTPUT_DEFAULTS,
  KAFKA_TLS_DEFAULTS,
  defaultInputId,
} from './defaults.js';
import type {
  Config,
  FileInputConfig,
  KafkaOutputConfig,
  KafkaSaslConfig,
  KafkaTlsConfig,
  OutputConfig,
} from './types.js';
import { parseDuration, parseSize } from './units.js';

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
    batch_bytes: bytes(raw.batch_bytes, d.batch_bytes),
    linger: ms(raw.linger, d.linger),
    max_in_flight_requests: pick(raw.max_in_flight_requests, d.max_in_flight_requests),
    request_timeout: ms(raw.request_timeout, d.request_timeout),
    allow_auto_topic_creation: pick(raw.allow_auto_topic_creation, d.allow_auto_topic_creation),
    tls: normalizeTls(raw.tls),
  };
  if (raw.sasl !== undefined) {
    const sasl: KafkaSaslConfig = {
      mechanism: raw.sasl.mechanism,
      username: raw.sasl.username,
      password: raw.sasl.password,
    };
    kafka.sasl = sasl;
  }
  return kafka;
}

function normalizeOutput(raw: Raw): OutputConfig {
  if (raw.kafka !== undefined) return { kafka: normalizeKafka(raw.kafka) };
  if (raw.file !== undefined) {
    return {
      file: { path: raw.file.path, fsync: pick(raw.file.fsync, FILE_OUTPUT_DEFAULTS.fsync) },
    };
  }
  return { stdout: {} };
}

/** The typed Config of a tree that passed schemaProblems and crossKeyProblems. */
export function normalizeConfig(raw: Raw): Config {
  const d = DEFAULTS;
  const registry = raw.registry ?? {};
  const pipeline = raw.pipeline ?? {};
  const hostName = pick(raw.host_name, d.host_name);
  return {
    data_dir: pick(raw.data_dir, d.data_dir),
    inputs: raw.inputs.map(normalizeInput),
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
    },
    logging: { level: pick(raw.logging?.level, d.logging.level) },
    shutdown: { timeout: ms(raw.shutdown?.timeout, d.shutdown.timeout) },
    host_name: hostName === '' ? os.hostname() : hostName,
  };
}
