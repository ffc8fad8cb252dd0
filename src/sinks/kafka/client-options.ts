// logpod's Kafka options turned into kafkajs's: the client (brokers, TLS, SASL,
// timeouts), shared by the agent's sink and the writer's consumer, and the
// producer. Certificate files are read here, once; their contents and the SASL
// password live only in the returned object, which is never logged.

import type { ConnectionOptions } from 'node:tls';
import kafkajs from 'kafkajs';
import { readOptionFile } from '../../config/option-file.js';
import type { CompressionTypes, KafkaConfig, ProducerConfig, SASLOptions } from 'kafkajs';
import {
  KAFKA_ACKS,
  type KafkaCompression,
  type KafkaOutputConfig,
  type KafkaTlsConfig,
} from '../../config/types.js';
// Every kafkajs client logpod makes takes these options: kafkajs's negative
// timer is fixed before any of them exists.
import './request-queue-timer.js';

const { CompressionTypes: Types, Partitioners } = kafkajs;

export const KAFKA_COMPRESSION: Readonly<Record<KafkaCompression, CompressionTypes>> = {
  none: Types.None,
  gzip: Types.GZIP,
  snappy: Types.Snappy,
  lz4: Types.LZ4,
  zstd: Types.ZSTD,
};

/** The client part of kafkajs's configuration: where the brokers are and how to talk to them. */
export function kafkaClientOptions(
  config: Pick<KafkaOutputConfig, 'brokers' | 'client_id' | 'request_timeout' | 'tls' | 'sasl'>,
): KafkaConfig {
  const options: KafkaConfig = {
    brokers: config.brokers,
    clientId: config.client_id,
    requestTimeout: config.request_timeout,
  };
  if (config.tls.enabled) options.ssl = tlsOptions(config.tls);
  if (config.sasl !== undefined) {
    const { mechanism, username, password } = config.sasl;
    options.sasl = { mechanism, username, password } as SASLOptions;
  }
  return options;
}

function tlsOptions(tls: KafkaTlsConfig): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: tls.reject_unauthorized };
  if (tls.ca_file !== undefined)
    options.ca = readOptionFile(tls.ca_file, 'output.kafka.tls.ca_file');
  if (tls.cert_file !== undefined)
    options.cert = readOptionFile(tls.cert_file, 'output.kafka.tls.cert_file');
  if (tls.key_file !== undefined)
    options.key = readOptionFile(tls.key_file, 'output.kafka.tls.key_file');
  if (tls.key_passphrase !== undefined) options.passphrase = tls.key_passphrase;
  return options;
}

/** The settings every send of the sink uses. */
export interface SendSettings {
  acks: -1 | 0 | 1;
  compression: CompressionTypes;
  timeout: number;
  /** Idempotence needs acks = all; the config check refuses the other combinations. */
  idempotent: boolean;
  /** Sends the sink keeps in flight at once. */
  maxInFlight: number;
}

export function sendSettings(config: KafkaOutputConfig): SendSettings {
  const acks = KAFKA_ACKS[config.acks];
  const idempotent = config.idempotent && acks === -1;
  return {
    acks,
    compression: KAFKA_COMPRESSION[config.compression],
    timeout: config.request_timeout,
    idempotent,
    // kafkajs keeps idempotent sequence numbers per partition but, on a failed
    // request, hands the same numbers to the next request: two sends in flight
    // could then be taken as duplicates of each other and one silently dropped.
    // One send at a time keeps the broker's de-duplication sound.
    maxInFlight: idempotent ? 1 : config.max_in_flight_requests,
  };
}

/** kafkajs's own retries, short: the sink retries on top of them, forever, with backoff. */
export const KAFKAJS_RETRY = { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 } as const;

export function producerOptions(config: KafkaOutputConfig, settings: SendSettings): ProducerConfig {
  return {
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: config.allow_auto_topic_creation,
    idempotent: settings.idempotent,
    maxInFlightRequests: settings.maxInFlight,
    retry: KAFKAJS_RETRY,
  };
}
