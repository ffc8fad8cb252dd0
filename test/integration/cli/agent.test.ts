// `logpod agent` as a real process against the real broker: every line of a
// tailed file arrives once and in order, a restart resumes without repeats,
// SIGTERM saves the registry, and a Kafka outage under load pauses reading
// with memory held within a stated bound, then recovers by itself.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import { createTopic, kafkaBrokers, startKafka, stopKafka } from '../../services/index.js';
import {
  externalKafka,
  noKafka,
  readEvents,
  topicEvents,
  uniqueName,
} from '../../fixtures/sinks/kafka/kafka-test-kit.js';

const line = (n: number) =>
  `203.0.113.${n % 250} - - [28/Nov/2026:10:00:00 +0000] "GET /n/${n} HTTP/1.1" 200 ${n} "-" "loadgen" "-"\n`;

function startAgent(args: string[]): {
  child: ChildProcess;
  exited: Promise<number | null>;
  logs: () => string;
} {
  const child = spawn(process.execPath, [LOGPOD_BIN, 'agent', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info' },
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, exited, logs: () => out };
}

/** Tail `log` from its beginning into `topic`, state in `dir`, probes on a free port. */
function agentArgs(dir: string, log: string, topic: string): string[] {
  return [
    '--input',
    log,
    '--from',
    'beginning',
    '--brokers',
    kafkaBrokers(),
    '--topic',
    topic,
  ].concat(['--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0']);
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

t.test(
  'agent ships every line once, in order, and resumes after SIGTERM without repeats',
  { skip: noKafka },
  async (t) => {
    const dir = t.testdir();
    const topic = uniqueName('agent');
    await createTopic(topic, 3);
    const log = join(dir, 'access.log');
    await writeFile(log, Array.from({ length: 3000 }, (_, i) => line(i)).join(''));
    const args = agentArgs(dir, log, topic);

    const first = startAgent(args);
    const messages = await readEvents(topic, 3000, 90_000);
    first.child.kill('SIGTERM');
    if (!t.equal(await first.exited, 0, 'clean exit on SIGTERM')) t.comment(first.logs());
    const paths = messages.map((m) => JSON.parse(m.value).url.path);
    t.same(
      paths,
      Array.from({ length: 3000 }, (_, i) => `/n/${i}`),
      'all lines, once, in file order',
    );
    t.equal(
      new Set(messages.map((m) => m.key)).size,
      1,
      'one key (the file identity) for one file',
    );
    t.equal(messages[0].headers['logpod-schema'], '1');

    await appendFile(log, line(3000) + line(3001));
    const second = startAgent(args);
    await readEvents(topic, 3002, 90_000);
    await new Promise((r) => setTimeout(r, 1500));
    second.child.kill('SIGTERM');
    if (!t.equal(await second.exited, 0, 'clean exit on SIGTERM')) t.comment(second.logs());
    t.equal(await topicEvents(topic), 3002, 'the restart sent only the new lines');
    // kafkajs's negative timer (src/sinks/kafka/request-queue-timer.ts) on Node 24+.
    for (const run of [first, second])
      t.notMatch(run.logs(), /Warning/, "no process warning in logpod's output");
  },
);

t.test(
  'a 60 s Kafka outage under load: reading pauses, memory stays bounded, nothing is lost',
  {
    skip: noKafka || (externalKafka ? 'stops the broker: only with the harness-run Kafka' : false),
  },
  async (t) => {
    const dir = t.testdir();
    const topic = uniqueName('agent-outage');
    await createTopic(topic, 1);
    const log = join(dir, 'access.log');
    await writeFile(log, '');
    const agent = startAgent(agentArgs(dir, log, topic));
    t.teardown(() => {
      agent.child.kill('SIGKILL');
    });

    let written = 0;
    const writeSome = async (n: number) => {
      let chunk = '';
      for (let i = 0; i < n; i++) chunk += line(written++);
      await appendFile(log, chunk);
    };
    await writeSome(2000);
    await readEvents(topic, 2000, 60_000);
    const baselineKiB = await rssKiB(agent.child.pid!);

    await stopKafka();
    let peakKiB = baselineKiB;
    // 60 s at 2,000 lines/s while Kafka is down: 120,000 lines (~ 17 MiB) pile up in the file.
    for (let s = 0; s < 60; s++) {
      await writeSome(2000);
      await new Promise((r) => setTimeout(r, 1000));
      peakKiB = Math.max(peakKiB, await rssKiB(agent.child.pid!));
    }
    await startKafka();
    const messages = await readEvents(topic, written, 180_000);

    const boundKiB = baselineKiB + 96 * 1024;
    t.ok(
      peakKiB <= boundKiB,
      `agent RSS peak ${Math.round(peakKiB / 1024)} MiB stays within baseline ${Math.round(baselineKiB / 1024)} MiB + 96 MiB during the outage`,
    );
    const seen = new Set(messages.map((m) => JSON.parse(m.value).url.path));
    t.equal(seen.size, written, `all ${written} lines arrived`);
    agent.child.kill('SIGTERM');
    if (!t.equal(await agent.exited, 0, 'clean exit on SIGTERM'))
      t.comment(agent.logs().slice(-3000));
  },
);
