// Where the test services live and which ports they use: the one place that reads the
// environment, so the CLI and the tests always agree. Nothing here starts anything.
// LOGPOD_TEST_KAFKA / LOGPOD_TEST_ES name services already running: then none is started.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const servicesRoot = dirname(fileURLToPath(import.meta.url));

const LOOPBACK = '127.0.0.1';

function port(env, name, fallback) {
  const raw = env[name];
  if (raw == null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got ${JSON.stringify(raw)}`);
  }
  return value;
}

function heap(env, name) {
  const raw = env[name] ?? '';
  if (raw === '') return '512m';
  if (!/^[0-9]+[kmg]$/i.test(raw)) throw new Error(`${name} must look like 512m, got ${raw}`);
  return raw;
}

function contentLength(env, name) {
  const raw = env[name] ?? '';
  if (raw === '') return null;
  if (!/^[0-9]+(b|kb|mb)$/i.test(raw)) throw new Error(`${name} must look like 64kb, got ${raw}`);
  return raw;
}

function external(env, name) {
  const raw = env[name];
  return raw == null || raw.trim() === '' ? null : raw.trim();
}

/**
 * Settles every path, port and option of the harness from the environment once.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function serviceConfig(env = process.env) {
  const workDir = resolve(external(env, 'LOGPOD_TEST_SERVICES_DIR') ?? join(servicesRoot, '.work'));
  const kafkaDir = join(workDir, 'kafka');
  const esDir = join(workDir, 'elasticsearch');
  const kafkaPort = port(env, 'LOGPOD_TEST_KAFKA_PORT', 19092);
  const esPort = port(env, 'LOGPOD_TEST_ES_PORT', 19200);
  return {
    workDir,
    statePath: join(workDir, 'state.json'),
    java: external(env, 'LOGPOD_TEST_JAVA') ?? 'java',
    mvn: external(env, 'LOGPOD_TEST_MVN') ?? 'mvn',
    kafka: {
      external: external(env, 'LOGPOD_TEST_KAFKA'),
      host: LOOPBACK,
      port: kafkaPort,
      controllerPort: port(env, 'LOGPOD_TEST_KAFKA_CONTROLLER_PORT', kafkaPort + 1),
      heap: heap(env, 'LOGPOD_TEST_KAFKA_HEAP'),
      dir: kafkaDir,
      dataDir: join(kafkaDir, 'data'),
      logDir: join(kafkaDir, 'logs'),
      pom: join(servicesRoot, 'maven', 'kafka.pom.xml'),
      readyTimeoutMs: 120_000,
      stopGraceMs: 30_000,
    },
    elasticsearch: {
      external: external(env, 'LOGPOD_TEST_ES'),
      host: LOOPBACK,
      port: esPort,
      transportPort: port(env, 'LOGPOD_TEST_ES_TRANSPORT_PORT', esPort + 100),
      heap: heap(env, 'LOGPOD_TEST_ES_HEAP'),
      /** http.max_content_length (e.g. 64kb): the largest request body the node takes. */
      maxContentLength: contentLength(env, 'LOGPOD_TEST_ES_MAX_CONTENT_LENGTH'),
      dir: esDir,
      homeDir: join(esDir, 'home'),
      dataDir: join(esDir, 'data'),
      logDir: join(esDir, 'logs'),
      classesDir: join(esDir, 'classes'),
      javaSources: join(servicesRoot, 'java'),
      pom: join(servicesRoot, 'maven', 'elasticsearch.pom.xml'),
      readyTimeoutMs: 120_000,
      stopGraceMs: 30_000,
    },
  };
}
