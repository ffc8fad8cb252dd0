// Elasticsearch 8 for the tests: one node, no security, HTTP on 127.0.0.1, run from the
// server jars on Maven Central with a small launcher (test/services/java) that adds the
// Netty transport as a classpath plugin. Data stays in its dir across stop and start.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveClasspath } from './maven-classpath.js';
import { isOurProcess, run, spawnJvm, stopProcess, waitUntilReady } from './jvm-process.js';
import { portInUse } from './ports.js';
import { readState, withLock, writeServiceState } from './state.js';

const MAIN_CLASS = 'org.elasticsearch.node.LogpodTestNode';

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
function paths(config) {
  const e = config.elasticsearch;
  return {
    configDir: join(e.homeDir, 'config'),
    classpathCache: join(e.dir, 'classpath.json'),
    stdoutLog: join(e.logDir, 'stdout.log'),
    serverLog: join(e.logDir, 'logpod-test.log'),
    tmpDir: join(e.dir, 'tmp'),
  };
}

function markers(config) {
  return [MAIN_CLASS, config.elasticsearch.homeDir];
}

function elasticsearchYml(e) {
  return [
    'cluster.name: logpod-test',
    'node.name: logpod-es',
    `path.data: ${JSON.stringify(e.dataDir)}`,
    `path.logs: ${JSON.stringify(e.logDir)}`,
    `network.host: ${e.host}`,
    `http.port: ${e.port}`,
    `transport.port: ${e.transportPort}`,
    'discovery.type: single-node',
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'action.destructive_requires_name: false',
    ...(e.maxContentLength ? [`http.max_content_length: ${e.maxContentLength}`] : []),
    '',
  ].join('\n');
}

const LOG4J = [
  'status = error',
  'appender.file.type = RollingFile',
  'appender.file.name = file',
  'appender.file.fileName = ${sys:es.logs.base_path}${sys:file.separator}${sys:es.logs.cluster_name}.log',
  'appender.file.filePattern = ${sys:es.logs.base_path}${sys:file.separator}${sys:es.logs.cluster_name}.log.%i',
  'appender.file.layout.type = PatternLayout',
  'appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n',
  'appender.file.policies.type = Policies',
  'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
  'appender.file.policies.size.size = 20MB',
  'appender.file.strategy.type = DefaultRolloverStrategy',
  'appender.file.strategy.max = 3',
  'rootLogger.level = info',
  'rootLogger.appenderRef.file.ref = file',
  '',
].join('\n');

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
export function elasticsearchUrlOf(config) {
  const e = config.elasticsearch;
  return (e.external ?? `http://${e.host}:${e.port}`).replace(/\/+$/, '');
}

/**
 * One probe: true when cluster health answers yellow or green.
 * @param {string} url
 */
export async function elasticsearchReady(url) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 3000);
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, {
      signal: abort.signal,
    });
    if (!res.ok) return false;
    const body = await res.json();
    return body.status === 'yellow' || body.status === 'green';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** @param {ReturnType<typeof import('./config.js').serviceConfig>} config */
export function elasticsearchProcess(config) {
  const entry = readState(config.statePath).elasticsearch;
  const pid = entry?.pid;
  return isOurProcess(pid, markers(config)) ? { pid, entry } : null;
}

function javaSources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaSources(full));
    else if (entry.name.endsWith('.java')) out.push(full);
  }
  return out.sort();
}

/** Compiles the launcher when its sources or the classpath changed since the last build. */
async function compileLauncher(config, jars) {
  const e = config.elasticsearch;
  const sources = javaSources(e.javaSources);
  const hash = createHash('sha256').update(jars.join(':'));
  for (const file of sources) hash.update(relative(e.javaSources, file)).update(readFileSync(file));
  const key = hash.digest('hex');
  const stamp = join(e.classesDir, '.key');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return;
  rmSync(e.classesDir, { recursive: true, force: true });
  mkdirSync(e.classesDir, { recursive: true });
  const javac = config.java === 'java' ? 'javac' : config.java.replace(/java$/, 'javac');
  await run(
    javac,
    ['--release', '17', '-nowarn', '-d', e.classesDir, '-cp', jars.join(':'), ...sources],
    {
      timeoutMs: 180_000,
    },
  );
  writeFileSync(stamp, key);
}

/**
 * Starts the node unless it is already running, and waits until it is ready.
 * @param {ReturnType<typeof import('./config.js').serviceConfig>} config
 * @param {(line: string) => void} log
 * @returns {Promise<{ pid: number, started: boolean, ms: number }>}
 */
export async function startElasticsearch(config, log) {
  const e = config.elasticsearch;
  if (e.external)
    throw new Error(`LOGPOD_TEST_ES=${e.external} is set: not starting Elasticsearch`);
  return withLock(config.workDir, 'elasticsearch', async () => {
    const began = Date.now();
    const url = elasticsearchUrlOf(config);
    const p = paths(config);
    const waitFor = (pid) =>
      waitUntilReady({
        check: () => elasticsearchReady(url),
        pid,
        markers: markers(config),
        timeoutMs: e.readyTimeoutMs,
        what: 'Elasticsearch',
        logFile: existsSync(p.serverLog) ? p.serverLog : p.stdoutLog,
      });
    const running = elasticsearchProcess(config);
    if (running) {
      await waitFor(running.pid);
      return { pid: running.pid, started: false, ms: Date.now() - began };
    }
    for (const port of [e.port, e.transportPort]) {
      if (await portInUse(e.host, port)) {
        throw new Error(
          `${e.host}:${port} is taken by another process: stop it, set LOGPOD_TEST_ES to use ` +
            'that node, or LOGPOD_TEST_ES_PORT / LOGPOD_TEST_ES_TRANSPORT_PORT to move',
        );
      }
    }
    for (const dir of [p.configDir, e.dataDir, e.logDir, p.tmpDir])
      mkdirSync(dir, { recursive: true });
    const jars = await resolveClasspath({
      mvn: config.mvn,
      pom: e.pom,
      cacheFile: p.classpathCache,
      log,
    });
    await compileLauncher(config, jars);
    writeFileSync(join(p.configDir, 'elasticsearch.yml'), elasticsearchYml(e));
    writeFileSync(join(p.configDir, 'log4j2.properties'), LOG4J);
    const pid = spawnJvm({
      java: config.java,
      cwd: e.dir,
      logFile: p.stdoutLog,
      args: [
        '-Xms256m',
        `-Xmx${e.heap}`,
        '-XX:+UseG1GC',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        '-Dfile.encoding=UTF-8',
        `-Djava.io.tmpdir=${p.tmpDir}`,
        '-Dlog4j2.formatMsgNoLookups=true',
        '-Dio.netty.noUnsafe=true',
        '-Dio.netty.noKeySetOptimization=true',
        '-Dio.netty.recycler.maxCapacityPerThread=0',
        '-cp',
        [e.classesDir, ...jars].join(':'),
        MAIN_CLASS,
        e.homeDir,
      ],
    });
    await writeServiceState(config.statePath, 'elasticsearch', {
      pid,
      url,
      host: e.host,
      port: e.port,
      transportPort: e.transportPort,
      dataDir: e.dataDir,
      logFile: p.serverLog,
      startedAt: new Date().toISOString(),
    });
    await waitFor(pid);
    return { pid, started: true, ms: Date.now() - began };
  });
}

/**
 * Stops the harness's node (SIGTERM, then SIGKILL after the grace period); data stays.
 * @param {ReturnType<typeof import('./config.js').serviceConfig>} config
 * @returns {Promise<'exited' | 'killed' | 'not-running'>}
 */
export async function stopElasticsearch(config) {
  const e = config.elasticsearch;
  if (e.external)
    throw new Error(`LOGPOD_TEST_ES=${e.external} is set: not stopping Elasticsearch`);
  return withLock(config.workDir, 'elasticsearch', async () => {
    const running = elasticsearchProcess(config);
    const how = running ? await stopProcess(running.pid, e.stopGraceMs) : 'not-running';
    const entry = readState(config.statePath).elasticsearch;
    if (entry?.pid) {
      await writeServiceState(config.statePath, 'elasticsearch', {
        ...entry,
        pid: null,
        stoppedAt: new Date().toISOString(),
      });
    }
    return how;
  });
}
