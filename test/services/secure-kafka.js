// A second Kafka broker, started on demand, that asks for credentials over TLS: the same
// Maven-resolved Kafka as kafka.js, one KRaft node with
//   port + 5  INTERNAL  PLAINTEXT       (the harness's own admin: topics, readiness)
//   port + 6  CONTROLLER
//   port + 7  SCRAM     SASL_SSL, SCRAM-SHA-512, certificate signed by the test CA
//   port + 8  SASLPLAIN SASL_SSL, PLAIN,         certificate signed by the test CA
//   port + 9  EXPIRED   SASL_SSL, SCRAM-SHA-512, an expired certificate of the same CA
// Certificates are made here with openssl (a CA, the broker's, an expired one, and an
// unknown CA for clients that should not trust the broker); the SCRAM user is created
// with Kafka's own storage tool (format --add-scram), the PLAIN user in the JAAS line.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaReady } from './kafka-admin.js';
import { log4jProperties, SINGLE_NODE_SETTINGS } from './kafka.js';
import { resolveClasspath } from './maven-classpath.js';
import { isOurProcess, run, spawnJvm, stopProcess, waitUntilReady } from './jvm-process.js';
import { portInUse } from './ports.js';
import { readState, withLock, writeServiceState } from './state.js';

const MAIN_CLASS = 'kafka.Kafka';
const SERVICE = 'kafka-secure';

/** The users the broker knows. */
export const SECURE_KAFKA_USERS = {
  scram: { mechanism: 'scram-sha-512', username: 'logpod-scram', password: 'scram-secret-1' },
  plain: { mechanism: 'plain', username: 'logpod-plain', password: 'plain-secret-1' },
};

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
export function secureKafkaLayout(config) {
  const k = config.kafka;
  const dir = join(config.workDir, SERVICE);
  const certs = join(dir, 'certs');
  const base = k.port + 5;
  return {
    host: k.host,
    dir,
    dataDir: join(dir, 'data'),
    logDir: join(dir, 'logs'),
    certs,
    ports: {
      internal: base,
      controller: base + 1,
      scram: base + 2,
      plain: base + 3,
      expired: base + 4,
    },
    files: {
      caCert: join(certs, 'ca.pem'),
      unknownCaCert: join(certs, 'unknown-ca.pem'),
      serverKeystore: join(certs, 'server-keystore.pem'),
      expiredKeystore: join(certs, 'expired-keystore.pem'),
    },
    serverProperties: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    classpathCache: join(dir, 'classpath.json'),
    stdoutLog: join(dir, 'logs', 'stdout.log'),
    serverLog: join(dir, 'logs', 'server.log'),
  };
}

/** What tests need to connect: addresses of each listener and the CA files. */
export function secureKafkaEndpoints(config) {
  const l = secureKafkaLayout(config);
  const at = (port) => `${l.host}:${port}`;
  return {
    internal: at(l.ports.internal),
    scram: at(l.ports.scram),
    plain: at(l.ports.plain),
    expired: at(l.ports.expired),
    caFile: l.files.caCert,
    unknownCaFile: l.files.unknownCaCert,
    users: SECURE_KAFKA_USERS,
  };
}

function markers(layout) {
  return [MAIN_CLASS, layout.serverProperties];
}

export function secureKafkaProcess(config) {
  const layout = secureKafkaLayout(config);
  const pid = readState(config.statePath)[SERVICE]?.pid;
  return isOurProcess(pid, markers(layout)) ? { pid } : null;
}

async function openssl(args, cwd) {
  await run('openssl', args, { cwd, timeoutMs: 60_000 });
}

/** A CA, the broker's certificate (SAN 127.0.0.1, localhost), an expired one, an unknown CA. */
async function makeCertificates(layout) {
  const d = layout.certs;
  if (existsSync(layout.files.expiredKeystore)) return;
  mkdirSync(d, { recursive: true, mode: 0o700 });
  const subj = (cn) => ['-subj', `/O=logpod test/CN=${cn}`];
  for (const [name, cn] of [
    ['ca', 'logpod test CA'],
    ['unknown-ca', 'some other CA'],
  ]) {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
      ]
        .concat(['-days', '3650', '-sha256'], subj(cn))
        .concat([
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=keyCertSign,cRLSign',
        ]),
      d,
    );
  }
  const ext = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n';
  writeFileSync(join(d, 'server.ext'), ext);
  for (const name of ['server', 'expired']) {
    await openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
      ].concat(subj('127.0.0.1')),
      d,
    );
  }
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      '1001',
    ].concat(['-days', '3650', '-sha256', '-extfile', 'server.ext', '-out', 'server.pem']),
    d,
  );
  // openssl x509 cannot date a certificate in the past; openssl ca can.
  mkdirSync(join(d, 'issued'), { recursive: true });
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'serial'), '1002\n');
  writeFileSync(
    join(d, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `dir = ${d}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/issued',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = none',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      'organizationName = optional',
      '',
    ].join('\n'),
  );
  await openssl(
    ['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-notext']
      .concat(['-startdate', '20200101000000Z', '-enddate', '20200201000000Z'])
      .concat(['-extfile', 'server.ext', '-in', 'expired.csr', '-out', 'expired.pem']),
    d,
  );
  const pem = (f) => readFileSync(join(d, f), 'utf8');
  writeFileSync(
    layout.files.serverKeystore,
    pem('server.key') + pem('server.pem') + pem('ca.pem'),
    {
      mode: 0o600,
    },
  );
  writeFileSync(
    layout.files.expiredKeystore,
    pem('expired.key') + pem('expired.pem') + pem('ca.pem'),
    { mode: 0o600 },
  );
}

function serverProperties(layout) {
  const { host, ports, files } = layout;
  const { plain } = SECURE_KAFKA_USERS;
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const plainJaas =
    'org.apache.kafka.common.security.plain.PlainLoginModule required ' +
    `user_${plain.username}="${plain.password}";`;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${ports.controller}`,
    `listeners=INTERNAL://${host}:${ports.internal},CONTROLLER://${host}:${ports.controller},` +
      `SCRAM://${host}:${ports.scram},SASLPLAIN://${host}:${ports.plain},EXPIRED://${host}:${ports.expired}`,
    `advertised.listeners=INTERNAL://${host}:${ports.internal},SCRAM://${host}:${ports.scram},` +
      `SASLPLAIN://${host}:${ports.plain},EXPIRED://${host}:${ports.expired}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SCRAM:SASL_SSL,' +
      'SASLPLAIN:SASL_SSL,EXPIRED:SASL_SSL',
    'inter.broker.listener.name=INTERNAL',
    'listener.name.scram.sasl.enabled.mechanisms=SCRAM-SHA-512',
    `listener.name.scram.scram-sha-512.sasl.jaas.config=${scramJaas}`,
    'listener.name.scram.ssl.keystore.type=PEM',
    `listener.name.scram.ssl.keystore.location=${files.serverKeystore}`,
    'listener.name.saslplain.sasl.enabled.mechanisms=PLAIN',
    `listener.name.saslplain.plain.sasl.jaas.config=${plainJaas}`,
    'listener.name.saslplain.ssl.keystore.type=PEM',
    `listener.name.saslplain.ssl.keystore.location=${files.serverKeystore}`,
    'listener.name.expired.sasl.enabled.mechanisms=SCRAM-SHA-512',
    `listener.name.expired.scram-sha-512.sasl.jaas.config=${scramJaas}`,
    'listener.name.expired.ssl.keystore.type=PEM',
    `listener.name.expired.ssl.keystore.location=${files.expiredKeystore}`,
    `log.dirs=${layout.dataDir}`,
    ...SINGLE_NODE_SETTINGS,
    '',
  ].join('\n');
}

function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Starts the secure broker unless it runs, and waits until it answers on its internal listener.
 * @param {ReturnType<typeof import('./config.js').serviceConfig>} config
 * @param {(line: string) => void} log
 */
export async function startSecureKafka(config, log) {
  if (config.kafka.external)
    throw new Error('LOGPOD_TEST_KAFKA is set: not starting a secure Kafka');
  const layout = secureKafkaLayout(config);
  return withLock(config.workDir, SERVICE, async () => {
    const began = Date.now();
    const internal = `${layout.host}:${layout.ports.internal}`;
    const wait = (pid) =>
      waitUntilReady({
        check: () => kafkaReady(internal),
        pid,
        markers: markers(layout),
        timeoutMs: config.kafka.readyTimeoutMs,
        what: 'secure Kafka',
        logFile: layout.serverLog,
      });
    const running = secureKafkaProcess(config);
    if (running) {
      await wait(running.pid);
      return { pid: running.pid, started: false, ms: Date.now() - began };
    }
    for (const port of Object.values(layout.ports)) {
      if (await portInUse(layout.host, port)) {
        throw new Error(`${layout.host}:${port} (secure Kafka) is taken by another process`);
      }
    }
    mkdirSync(layout.dataDir, { recursive: true });
    mkdirSync(layout.logDir, { recursive: true });
    await makeCertificates(layout);
    const jars = await resolveClasspath({
      mvn: config.mvn,
      pom: config.kafka.pom,
      cacheFile: layout.classpathCache,
      log,
    });
    writeFileSync(layout.serverProperties, serverProperties(layout));
    writeFileSync(layout.log4j, log4jProperties(layout.serverLog));
    const jvmBase = [`-Dlog4j2.configurationFile=${layout.log4j}`, '-cp', jars.join(':')];
    if (!existsSync(join(layout.dataDir, 'meta.properties'))) {
      const { scram } = SECURE_KAFKA_USERS;
      await run(
        config.java,
        ['-Xmx256m', ...jvmBase, 'kafka.tools.StorageTool', 'format']
          .concat([`--cluster-id=${newClusterId()}`, '--config', layout.serverProperties])
          .concat([
            '--add-scram',
            `SCRAM-SHA-512=[name=${scram.username},password=${scram.password}]`,
          ]),
        { timeoutMs: 120_000 },
      );
    }
    const pid = spawnJvm({
      java: config.java,
      cwd: layout.dir,
      logFile: layout.stdoutLog,
      args: [
        '-Xms64m',
        '-Xmx384m',
        '-XX:+UseSerialGC',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        ...jvmBase,
        MAIN_CLASS,
        layout.serverProperties,
      ],
    });
    await writeServiceState(config.statePath, SERVICE, {
      pid,
      ...secureKafkaEndpoints(config),
      users: undefined,
      logFile: layout.serverLog,
      startedAt: new Date().toISOString(),
    });
    await wait(pid);
    return { pid, started: true, ms: Date.now() - began };
  });
}

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
export async function stopSecureKafka(config) {
  return withLock(config.workDir, SERVICE, async () => {
    const running = secureKafkaProcess(config);
    const how = running ? await stopProcess(running.pid, config.kafka.stopGraceMs) : 'not-running';
    const entry = readState(config.statePath)[SERVICE];
    if (entry?.pid) {
      await writeServiceState(config.statePath, SERVICE, { ...entry, pid: null });
    }
    return how;
  });
}
