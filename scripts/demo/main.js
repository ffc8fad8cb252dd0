#!/usr/bin/env node
// `npm run demo`: the whole chain on this machine, no Docker. Starts, in order,
// Kafka and Elasticsearch (reused when running), the writer, the agent, nginx and
// the traffic generator, with a progress line for each; prints where to look; and
// on Ctrl-C (or SIGTERM, --duration, the end of --tour, or any component failing)
// stops what it started in reverse order. Usage: scripts/demo/options.js.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { portInUse } from '../../test/services/ports.js';
import { answers, Child, waitUntil } from './child.js';
import { findNginx, prepareNginx } from './nginx.js';
import { runNames, writeLogpodConfigs } from './logpod.js';
import { parseOptions, REPO_ROOT, USAGE } from './options.js';
import { dropOldIndices, dropOldTopics } from './run-data.js';
import {
  demoServiceConfig,
  serviceEnds,
  serviceLog,
  startService,
  stopService,
} from './services.js';
import { createTopic } from '../../test/services/kafka-admin.js';
import { runTour } from './tour.js';

const say = (line) => process.stdout.write(`demo: ${line}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const LOGPOD_BIN = join(REPO_ROOT, 'bin', 'logpod.js');
const TRAFFIC = join(REPO_ROOT, 'docker', 'traffic', 'generate.mjs');

class Demo {
  constructor(o) {
    this.o = o;
    this.services = demoServiceConfig(o);
    this.ends = serviceEnds(this.services);
    this.logDir = join(o.dir, 'logs');
    this.runDir = join(o.dir, 'run');
    this.names = runNames(randomBytes(3).toString('hex'));
    /** What was started, in order: { name, stop() }. */
    this.started = [];
    this.children = {};
    let fail;
    this.failure = new Promise((resolve) => (fail = resolve));
    this.fail = fail;
    this.failed = undefined;
    /** Aborted when the demo starts stopping: the tour stops too. */
    this.ending = new AbortController();
  }

  /** One component's start, timed, with its progress line. */
  async step(name, what, fn) {
    if (this.failed) throw new Error(this.failed);
    say(`${name}: starting${what ? ` (${what})` : ''}`);
    const began = Date.now();
    const detail = await fn();
    say(
      `${name}: ${detail?.reused ? 'already running, reused' : 'ready'} in ${secs(Date.now() - began)}${detail?.text ? ` ${detail.text}` : ''}`,
    );
  }

  async service(name) {
    try {
      const r = await startService(this.services, name, (line) => say(`${name}: ${line}`));
      if (r.started && !this.o.keepServices)
        this.started.push({ name, stop: () => stopService(this.services, name) });
      const at = name === 'kafka' ? this.ends.brokers : this.ends.esUrl;
      return { reused: !r.started, text: `(pid ${r.pid}, ${at})` };
    } catch (err) {
      throw new Error(
        `${name} did not start: ${err.message}\n  its log: ${serviceLog(this.services, name)}`,
      );
    }
  }

  async freePort(name, port, variable) {
    if (await portInUse('127.0.0.1', port))
      throw new Error(
        `${name}: 127.0.0.1:${port} is taken by another process (an earlier demo still ` +
          `running?); stop it or set ${variable}`,
      );
  }

  /** Spawns a child the demo stops at the end; its unexpected exit fails the demo. */
  spawn(name, command, args, env = {}) {
    const child = new Child(name, join(this.runDir, `${name}.log`)).start(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      onUnexpectedExit: (c) => this.fail(`${c.name} ${c.describeExit()}; its log: ${c.logFile}`),
    });
    this.children[name] = child;
    const grace = name === 'agent' || name === 'writer' ? 30_000 : 10_000;
    const signal = name === 'nginx' ? 'SIGQUIT' : 'SIGTERM';
    this.started.push({ name, stop: () => child.stop(signal, grace) });
    return child;
  }

  async waitReady(child, url) {
    await waitUntil(child.name, () => answers(url), {
      timeoutMs: 180_000,
      failed: () =>
        child.exit
          ? `${child.name} ${child.describeExit()}; its log: ${child.logFile}`
          : this.failed,
    });
  }

  async start() {
    const o = this.o;
    // A fresh log folder and fresh agent and writer state each run: the tour counts
    // this run's lines, and the dashboard shows this run's traffic.
    for (const d of [
      this.logDir,
      this.runDir,
      join(o.dir, 'agent-data'),
      join(o.dir, 'writer-data'),
    ])
      await rm(d, { recursive: true, force: true });
    await mkdir(this.logDir, { recursive: true });
    await mkdir(this.runDir, { recursive: true });

    // Both JVMs start side by side (each is mostly waiting on its own start-up); a
    // failure of one is reported once the other has settled, so both get stopped.
    const services = await Promise.allSettled(
      ['kafka', 'elasticsearch'].map((name) =>
        this.step(name, undefined, () => this.service(name)),
      ),
    );
    const failed = services.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await this.step('topics', this.names.topic, async () => {
      await dropOldTopics(this.ends.brokers);
      await dropOldIndices(this.ends.esUrl);
      await createTopic(this.ends.brokers, this.names.topic, 2);
      await createTopic(this.ends.brokers, this.names.dlq, 1);
    });
    const configs = await writeLogpodConfigs({
      dir: o.dir,
      logDir: this.logDir,
      names: this.names,
      ...this.ends,
      agentPort: o.agentPort,
      writerPort: o.writerPort,
    });
    await this.step('writer', `logpod writer into ${this.names.indexPattern}`, async () => {
      await this.freePort('writer', o.writerPort, 'LOGPOD_DEMO_WRITER_PORT');
      const c = this.spawn('writer', process.execPath, [
        LOGPOD_BIN,
        'writer',
        '--config',
        configs.writer,
      ]);
      await this.waitReady(c, `http://127.0.0.1:${o.writerPort}/readyz`);
      return { text: `(pid ${c.pid})` };
    });
    await this.step('agent', `logpod agent tailing ${this.logDir}`, async () => {
      await this.freePort('agent', o.agentPort, 'LOGPOD_DEMO_AGENT_PORT');
      const c = this.spawn('agent', process.execPath, [
        LOGPOD_BIN,
        'agent',
        '--config',
        configs.agent,
      ]);
      await this.waitReady(c, `http://127.0.0.1:${o.agentPort}/readyz`);
      return { text: `(pid ${c.pid})` };
    });
    await this.step('nginx', undefined, async () => {
      const bin = findNginx(say);
      await this.freePort('nginx', o.shopPort, 'LOGPOD_DEMO_SHOP_PORT');
      const args = await prepareNginx({ dir: o.dir, logDir: this.logDir, port: o.shopPort });
      const c = this.spawn('nginx', bin, args);
      await this.waitReady(c, `http://127.0.0.1:${o.shopPort}/healthz`);
      return { text: `(pid ${c.pid}, ${bin})` };
    });
    await this.step('traffic', `${o.rate} requests/s`, async () => {
      const c = this.spawn('traffic', process.execPath, [TRAFFIC], {
        TARGET_URL: `http://127.0.0.1:${o.shopPort}`,
        RATE: String(o.rate),
      });
      await sleep(300);
      if (c.exit) throw new Error(`traffic ${c.describeExit()}; its log: ${c.logFile}`);
      return { text: `(pid ${c.pid})` };
    });
  }

  printUrls() {
    const o = this.o;
    process.stdout.write(
      `\nlogpod demo is running${o.durationMs ? ` for ${secs(o.durationMs)}` : ''}; Ctrl-C stops it.\n` +
        `  writer dashboard  http://127.0.0.1:${o.writerPort}/   (from Elasticsearch)\n` +
        `  agent status      http://127.0.0.1:${o.agentPort}/status   (its live dashboard: /)\n` +
        `  the shop          http://127.0.0.1:${o.shopPort}/\n` +
        `  Elasticsearch     ${this.ends.esUrl}/${this.names.indexPattern}/_search\n` +
        `  logs              ${this.logDir} (nginx), ${this.runDir} (each component)\n\n`,
    );
  }

  /** Stops everything it started, newest first; never throws. */
  async stop() {
    for (const c of this.started.reverse()) {
      const began = Date.now();
      try {
        const how = await c.stop();
        const detail = how && typeof how === 'object' ? describeEnd(how) : how;
        say(`${c.name}: stopped in ${secs(Date.now() - began)}${detail ? ` (${detail})` : ''}`);
      } catch (err) {
        say(`${c.name}: could not be stopped: ${err.message}`);
      }
    }
    this.started = [];
  }
}

function describeEnd(exit) {
  if (exit.signal) return exit.signal;
  return exit.code === 0 ? undefined : `exit code ${exit.code}`;
}

async function stopServicesOnly(o) {
  const config = demoServiceConfig(o);
  for (const name of ['elasticsearch', 'kafka']) {
    const how = await stopService(config, name);
    say(`${name}: ${how === 'not-running' ? 'was not running' : `stopped (${how})`}`);
  }
}

// kafkajs (the topic set-up) schedules a negative timeout on Node 24: a harmless
// warning that would only clutter the progress lines. Other warnings still print.
function quietKafkajsWarning() {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
  });
}

async function main() {
  quietKafkajsWarning();
  const o = parseOptions(process.argv.slice(2));
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (o.stopServices) {
    await stopServicesOnly(o);
    return 0;
  }
  const demo = new Demo(o);
  let stopSignal;
  const stopped = new Promise((resolve) => {
    const on = (signal) => {
      if (stopSignal) {
        say(`${signal} again: still stopping, in order (give it a few seconds)`);
        return;
      }
      stopSignal = signal;
      resolve(signal);
    };
    process.on('SIGINT', () => on('SIGINT'));
    process.on('SIGTERM', () => on('SIGTERM'));
  });
  const interrupted = stopped.then((s) => `interrupted (${s})`);
  const failed = demo.failure.then((why) => ({ failed: why }));
  let code = 0;
  const starting = demo.start();
  try {
    const began = Date.now();
    const outcome = await Promise.race([starting.then(() => undefined), failed, interrupted]);
    if (outcome?.failed) throw new Error(outcome.failed);
    if (outcome) {
      // Honoured once the step under way is over, so what it starts is stopped too.
      say(`${outcome} while starting: stopping`);
      demo.failed = outcome;
      code = 130;
    } else {
      say(`everything ready in ${secs(Date.now() - began)}`);
      demo.printUrls();
      const waits = [interrupted, failed];
      if (o.durationMs)
        waits.push(sleep(o.durationMs).then(() => `--duration ${secs(o.durationMs)} over`));
      if (o.tour) waits.push(runTour(demo, say).then((ok) => ({ tour: ok })));
      const why = await Promise.race(waits);
      if (why?.failed) throw new Error(why.failed);
      if (why?.tour === false) code = 1;
      say(`${why?.tour === undefined ? why : 'the tour is over'}: stopping`);
    }
  } catch (err) {
    demo.failed = err.message;
    demo.ending.abort();
    process.stderr.write(`demo: FAILED: ${err.message}\n`);
    say('stopping everything it started');
    code = 1;
  }
  demo.ending.abort();
  await starting.catch(() => {});
  await demo.stop();
  say(o.keepServices ? 'done (Kafka and Elasticsearch left running: --keep-services)' : 'done');
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`demo: ${err.message}\n`);
    process.exit(1);
  },
);
