// Apache Kafka for the tests: one KRaft node (broker and controller in one JVM) on
// 127.0.0.1, run from Maven Central jars. The storage is formatted only when its data
// dir has never been formatted, so a stop and start keep every topic and message.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaReady } from './kafka-admin.js';
import { resolveClasspath } from './maven-classpath.js';
import { isOurProcess, run, spawnJvm, stopProcess, waitUntilReady } from './jvm-process.js';
import { portInUse } from './ports.js';
import { readState, withLock, writeServiceState } from './state.js';

const MAIN_CLASS = 'kafka.Kafka';

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
function paths(config) {
  const k = config.kafka;
  return {
    serverProperties: join(k.dir, 'server.properties'),
    log4j: join(k.dir, 'log4j2.properties'),
    classpathCache: join(k.dir, 'classpath.json'),
    stdoutLog: join(k.logDir, 'stdout.log'),
    serverLog: join(k.logDir, 'server.log'),
  };
}

/** The command-line pieces that identify our broker among all processes. */
function markers(config) {
  return [MAIN_CLASS, paths(config).serverProperties];
}

/** What a one-node test broker needs whatever its listeners: one replica, no auto-created topics. */
export const SINGLE_NODE_SETTINGS = [
  'num.partitions=1',
  'default.replication.factor=1',
  'auto.create.topics.enable=false',
  'offsets.topic.replication.factor=1',
  'offsets.topic.num.partitions=1',
  'transaction.state.log.replication.factor=1',
  'transaction.state.log.min.isr=1',
  'share.coordinator.state.topic.replication.factor=1',
  'share.coordinator.state.topic.min.isr=1',
  'min.insync.replicas=1',
  'group.initial.rebalance.delay.ms=0',
  'delete.topic.enable=true',
];

function serverProperties(k) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${k.host}:${k.controllerPort}`,
    `listeners=PLAINTEXT://${k.host}:${k.port},CONTROLLER://${k.host}:${k.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${k.host}:${k.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${k.dataDir}`,
    ...SINGLE_NODE_SETTINGS,
    '',
  ].join('\n');
}

export function log4jProperties(serverLog) {
  return [
    'status = error',
    'appender.file.type = RollingFile',
    'appender.file.name = file',
    `appender.file.fileName = ${serverLog}`,
    `appender.file.filePattern = ${serverLog}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    '',
  ].join('\n');
}

/** A cluster id as Kafka's own tool makes them: 16 random bytes, base64url, no leading '-'. */
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
export function kafkaBrokersOf(config) {
  return config.kafka.external ?? `${config.kafka.host}:${config.kafka.port}`;
}

/**
 * Running state of the harness's broker: its recorded pid when it is still our JVM.
 * @param {ReturnType<typeof import('./config.js').serviceConfig>} config
 */
export function kafkaProcess(config) {
  const entry = readState(config.statePath).kafka;
  const pid = entry?.pid;
  return isOurProcess(pid, markers(config)) ? { pid, entry } : null;
}

/**
 * Starts the broker unless it is already running, and waits until it is ready.
 * @param {ReturnType<typeof import('./config.js').serviceConfig>} config
 * @param {(line: string) => void} log
 * @returns {Promise<{ pid: number, started: boolean, ms: number }>}
 */
export async function startKafka(config, log) {
  const k = config.kafka;
  if (k.external) throw new Error(`LOGPOD_TEST_KAFKA=${k.external} is set: not starting Kafka`);
  return withLock(config.workDir, 'kafka', async () => {
    const began = Date.now();
    const brokers = kafkaBrokersOf(config);
    const p = paths(config);
    const running = kafkaProcess(config);
    if (running) {
      await waitUntilReady({
        check: () => kafkaReady(brokers),
        pid: running.pid,
        markers: markers(config),
        timeoutMs: k.readyTimeoutMs,
        what: 'Kafka',
        logFile: p.serverLog,
      });
      return { pid: running.pid, started: false, ms: Date.now() - began };
    }
    for (const port of [k.port, k.controllerPort]) {
      if (await portInUse(k.host, port)) {
        throw new Error(
          `${k.host}:${port} is taken by another process: stop it, set LOGPOD_TEST_KAFKA to use ` +
            'that broker, or LOGPOD_TEST_KAFKA_PORT / LOGPOD_TEST_KAFKA_CONTROLLER_PORT to move',
        );
      }
    }
    mkdirSync(k.dataDir, { recursive: true });
    mkdirSync(k.logDir, { recursive: true });
    const jars = await resolveClasspath({
      mvn: config.mvn,
      pom: k.pom,
      cacheFile: p.classpathCache,
      log,
    });
    writeFileSync(p.serverProperties, serverProperties(k));
    writeFileSync(p.log4j, log4jProperties(p.serverLog));
    const jvmBase = [`-Dlog4j2.configurationFile=${p.log4j}`, '-cp', jars.join(':')];
    if (!existsSync(join(k.dataDir, 'meta.properties'))) {
      await run(
        config.java,
        [
          '-Xmx256m',
          ...jvmBase,
          'kafka.tools.StorageTool',
          'format',
          `--cluster-id=${newClusterId()}`,
          '--config',
          p.serverProperties,
        ],
        { timeoutMs: 120_000 },
      );
    }
    const pid = spawnJvm({
      java: config.java,
      cwd: k.dir,
      logFile: p.stdoutLog,
      args: [
        `-Xms128m`,
        `-Xmx${k.heap}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        ...jvmBase,
        MAIN_CLASS,
        p.serverProperties,
      ],
    });
    await writeServiceState(config.statePath, 'kafka', {
      pid,
      brokers,
      host: k.host,
      port: k.port,
      controllerPort: k.controllerPort,
      dataDir: k.dataDir,
      logFile: p.serverLog,
      startedAt: new Date().toISOString(),
    });
    await waitUntilReady({
      check: () => kafkaReady(brokers),
      pid,
      markers: markers(config),
      timeoutMs: k.readyTimeoutMs,
      what: 'Kafka',
      logFile: p.serverLog,
    });
    return { pid, started: true, ms: Date.now() - began };
  });
}

/**
 * Stops the harness's broker (SIGTERM, then SIGKILL after the grace period). Its data
 * dir stays as it is.
 * @param {ReturnType<typeof import('./config.js').serviceConfig>} config
 * @returns {Promise<'exited' | 'killed' | 'not-running'>}
 */
export async function stopKafka(config) {
  if (config.kafka.external) {
    throw new Error(`LOGPOD_TEST_KAFKA=${config.kafka.external} is set: not stopping Kafka`);
  }
  return withLock(config.workDir, 'kafka', async () => {
    const running = kafkaProcess(config);
    const how = running ? await stopProcess(running.pid, config.kafka.stopGraceMs) : 'not-running';
    const entry = readState(config.statePath).kafka;
    if (entry?.pid) {
      await writeServiceState(config.statePath, 'kafka', {
        ...entry,
        pid: null,
        stoppedAt: new Date().toISOString(),
      });
    }
    return how;
  });
}
