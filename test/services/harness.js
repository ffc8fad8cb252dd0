// What tests use of the service harness: where Kafka and Elasticsearch are, whether they
// are up, stopping and starting each on its own (data kept), and topic admin. Services
// named by LOGPOD_TEST_KAFKA / LOGPOD_TEST_ES are used as they are and never stopped.
import { serviceConfig } from './config.js';
import {
  elasticsearchProcess,
  elasticsearchUrlOf,
  startElasticsearch as startEs,
  stopElasticsearch as stopEs,
} from './elasticsearch.js';
import {
  committedTotal as committed,
  createTopic as create,
  deleteTopic as remove,
  topicMessages as messages,
} from './kafka-admin.js';
import {
  kafkaBrokersOf,
  kafkaProcess,
  startKafka as startBroker,
  stopKafka as stopBroker,
} from './kafka.js';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from './state.js';
import { secureKafkaEndpoints, startSecureKafka as startSecure } from './secure-kafka.js';

const log = (line) => process.stderr.write(`test-services: ${line}\n`);

export function kafkaBrokers() {
  const config = serviceConfig();
  if (config.kafka.external) return config.kafka.external;
  return readState(config.statePath).kafka?.brokers ?? kafkaBrokersOf(config);
}

export function elasticsearchUrl() {
  const config = serviceConfig();
  if (config.elasticsearch.external) return elasticsearchUrlOf(config);
  return readState(config.statePath).elasticsearch?.url ?? elasticsearchUrlOf(config);
}

export function servicesAvailable() {
  const config = serviceConfig();
  return {
    kafka: config.kafka.external != null || kafkaProcess(config) != null,
    elasticsearch: config.elasticsearch.external != null || elasticsearchProcess(config) != null,
  };
}

export async function stopKafka() {
  await stopBroker(serviceConfig());
}

export async function startKafka() {
  await startBroker(serviceConfig(), log);
}

export async function stopElasticsearch() {
  await stopEs(serviceConfig());
}

export async function startElasticsearch() {
  await startEs(serviceConfig(), log);
}

export async function createTopic(name, partitions = 1) {
  await create(kafkaBrokers(), name, partitions);
}

export async function deleteTopic(name) {
  await remove(kafkaBrokers(), name);
}

export async function topicMessages(topic) {
  return messages(kafkaBrokers(), topic);
}

export async function committedTotal(topic, group) {
  return committed(kafkaBrokers(), topic, group);
}

/**
 * A second Elasticsearch node of the harness, for a test that needs node settings the
 * shared one must not have (a small http.max_content_length). It lives in
 * `<services dir>/<name>`, on the shared node's ports + `portOffset`, and reuses the
 * shared node's resolved classpath and compiled launcher. Stop it when done.
 * @param {{ name: string, portOffset: number, maxContentLength: string }} options
 */
export async function startExtraElasticsearch({ name, portOffset, maxContentLength }) {
  const base = serviceConfig();
  if (base.elasticsearch.external) throw new Error('LOGPOD_TEST_ES is set: no extra node');
  const env = {
    ...process.env,
    LOGPOD_TEST_SERVICES_DIR: join(base.workDir, name),
    LOGPOD_TEST_ES_PORT: String(base.elasticsearch.port + portOffset),
    LOGPOD_TEST_ES_TRANSPORT_PORT: String(base.elasticsearch.transportPort + portOffset),
    LOGPOD_TEST_ES_HEAP: '256m',
    LOGPOD_TEST_ES_MAX_CONTENT_LENGTH: maxContentLength,
  };
  const config = serviceConfig(env);
  for (const part of ['classpath.json', 'classes']) {
    const from = join(base.elasticsearch.dir, part);
    const to = join(config.elasticsearch.dir, part);
    if (existsSync(from) && !existsSync(to)) cpSync(from, to, { recursive: true });
  }
  await startEs(config, log);
  return {
    url: elasticsearchUrlOf(config),
    stop: async () => {
      await stopEs(config);
    },
  };
}

/** The SASL/TLS broker's listeners, CA files and users (secure-kafka.js); it may not run yet. */
export function secureKafka() {
  return secureKafkaEndpoints(serviceConfig());
}

/** Starts the SASL/TLS broker unless it runs (certificates and users made on first start). */
export async function startSecureKafka() {
  await startSecure(serviceConfig(), log);
}

/** A topic on the SASL/TLS broker, made over its internal plaintext listener. */
export async function createSecureTopic(name, partitions = 1) {
  await create(secureKafka().internal, name, partitions);
}
