// Kafka and Elasticsearch for the demo: the test services' launcher
// (test/services), on the demo's own ports and data folder, so the demo never
// touches a test run's services. A service already running is reused and left
// running; one the demo started is stopped at the end unless --keep-services.
import { join } from 'node:path';
import { serviceConfig } from '../../test/services/config.js';
import {
  elasticsearchUrlOf,
  startElasticsearch,
  stopElasticsearch,
} from '../../test/services/elasticsearch.js';
import { kafkaBrokersOf, startKafka, stopKafka } from '../../test/services/kafka.js';

/** The launcher's settings for the demo: LOGPOD_TEST_* as the demo sets them, nothing inherited. */
export function demoServiceConfig(o) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('LOGPOD_TEST_')),
  );
  return serviceConfig({
    ...env,
    LOGPOD_TEST_KAFKA_PORT: String(o.kafkaPort),
    LOGPOD_TEST_ES_PORT: String(o.esPort),
    LOGPOD_TEST_SERVICES_DIR: o.servicesDir,
  });
}

export function serviceEnds(config) {
  return { brokers: kafkaBrokersOf(config), esUrl: elasticsearchUrlOf(config) };
}

/** Where to look when a service does not start. */
export function serviceLog(config, name) {
  return name === 'kafka'
    ? join(config.kafka.logDir, 'server.log')
    : join(config.elasticsearch.logDir, 'logpod-test.log');
}

export const SERVICES = {
  kafka: { start: startKafka, stop: stopKafka },
  elasticsearch: { start: startElasticsearch, stop: stopElasticsearch },
};

/** Starts (or finds running) one service; resolves { started, pid, ms }. */
export function startService(config, name, log) {
  return SERVICES[name].start(config, log);
}

export function stopService(config, name) {
  return SERVICES[name].stop(config);
}
