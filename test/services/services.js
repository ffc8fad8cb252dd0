#!/usr/bin/env node
// The test services CLI: `node test/services/services.js <start|stop|restart|status>
// [kafka|elasticsearch|kafka-secure|all]` (all = kafka and elasticsearch; kafka-secure,
// the SASL/TLS broker of secure-kafka.js, is started on demand, and `stop all` stops it
// too). start waits until each service is ready and is a no-op for
// one already running; stop keeps data; status exits 0 only when all asked are ready.
import { serviceConfig } from './config.js';
import {
  elasticsearchProcess,
  elasticsearchReady,
  elasticsearchUrlOf,
  startElasticsearch,
  stopElasticsearch,
} from './elasticsearch.js';
import { kafkaReady } from './kafka-admin.js';
import { kafkaBrokersOf, kafkaProcess, startKafka, stopKafka } from './kafka.js';
import { sleep } from './jvm-process.js';
import {
  secureKafkaEndpoints,
  secureKafkaProcess,
  startSecureKafka,
  stopSecureKafka,
} from './secure-kafka.js';

const USAGE =
  'usage: node test/services/services.js <start|stop|restart|status> ' +
  '[kafka|elasticsearch|kafka-secure|all]';
const EXTERNAL_WAIT_MS = 30_000;

const say = (line) => process.stdout.write(`${line}\n`);

const services = {
  kafka: {
    where: (c) => kafkaBrokersOf(c),
    external: (c) => c.kafka.external,
    envName: 'LOGPOD_TEST_KAFKA',
    ready: (c) => kafkaReady(kafkaBrokersOf(c)),
    process: kafkaProcess,
    start: startKafka,
    stop: stopKafka,
  },
  'kafka-secure': {
    where: (c) => {
      const e = secureKafkaEndpoints(c);
      return `${e.scram} (SCRAM), ${e.plain} (PLAIN), ${e.expired} (expired cert), CA ${e.caFile}`;
    },
    external: () => null,
    envName: 'none',
    ready: (c) => kafkaReady(secureKafkaEndpoints(c).internal),
    process: secureKafkaProcess,
    start: startSecureKafka,
    stop: stopSecureKafka,
  },
  elasticsearch: {
    where: (c) => elasticsearchUrlOf(c),
    external: (c) => c.elasticsearch.external,
    envName: 'LOGPOD_TEST_ES',
    ready: (c) => elasticsearchReady(elasticsearchUrlOf(c)),
    process: elasticsearchProcess,
    start: startElasticsearch,
    stop: stopElasticsearch,
  },
};

async function waitExternal(name, svc, config) {
  const deadline = Date.now() + EXTERNAL_WAIT_MS;
  while (!(await svc.ready(config))) {
    if (Date.now() > deadline) {
      throw new Error(`${name}: ${svc.envName}=${svc.external(config)} is not reachable`);
    }
    await sleep(500);
  }
  say(`${name}: using ${svc.envName}=${svc.external(config)} (started nothing)`);
}

async function start(name, config) {
  const svc = services[name];
  if (svc.external(config)) return waitExternal(name, svc, config);
  const r = await svc.start(config, (line) => say(`${name}: ${line}`));
  const what = r.started ? 'started' : 'already running';
  say(`${name}: ${what} (pid ${r.pid}) at ${svc.where(config)} in ${(r.ms / 1000).toFixed(1)} s`);
}

async function stop(name, config) {
  const svc = services[name];
  if (svc.external(config)) {
    say(`${name}: ${svc.envName} is set, not stopping it`);
    return;
  }
  const how = await svc.stop(config);
  say(`${name}: ${how === 'not-running' ? 'was not running' : `stopped (${how})`}`);
}

async function status(name, config) {
  const svc = services[name];
  const ready = await svc.ready(config);
  const running = svc.external(config) ? null : svc.process(config);
  const owner = svc.external(config)
    ? `${svc.envName}`
    : running
      ? `pid ${running.pid}`
      : 'not running';
  say(`${name}: ${ready ? 'ready' : 'not ready'} at ${svc.where(config)} (${owner})`);
  return ready;
}

async function main(argv) {
  const [command, target = 'all', ...rest] = argv;
  // `stop all` also stops the SASL/TLS broker, which tests start on demand, so
  // nothing a test run started is left behind.
  const all =
    command === 'stop' ? ['kafka', 'elasticsearch', 'kafka-secure'] : ['kafka', 'elasticsearch'];
  const names = target === 'all' ? all : [target];
  if (rest.length > 0 || !names.every((n) => n in services)) throw new Error(USAGE);
  const config = serviceConfig();
  switch (command) {
    case 'start':
      for (const n of names) await start(n, config);
      return 0;
    case 'stop':
      for (const n of [...names].reverse()) await stop(n, config);
      return 0;
    case 'restart':
      for (const n of names) {
        await stop(n, config);
        await start(n, config);
      }
      return 0;
    case 'status': {
      let allReady = true;
      for (const n of names) allReady = (await status(n, config)) && allReady;
      return allReady ? 0 : 3;
    }
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  },
);
