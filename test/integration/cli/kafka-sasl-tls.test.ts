// Kafka with credentials over TLS, against a real broker (test/services/secure-kafka.js,
// started on demand): the agent and the writer connect with the documented keys
// (output.kafka.sasl / .tls, writer.kafka.sasl / .tls) over SCRAM-SHA-512 and over PLAIN,
// and deliver. A wrong password, an unknown CA and an expired broker certificate each
// give an error naming the cause, in the logs and in /status; the process stays up,
// started and live (no crash loop), /readyz says why, and SIGTERM still ends it promptly.
import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSecureTopic,
  elasticsearchUrl,
  secureKafka,
  servicesAvailable,
  startSecureKafka,
} from '../../services/index.js';
import { countDocs, esClient, uniqueName } from '../writer/helpers.js';
import {
  accessLine,
  getJson,
  httpStatus,
  startLogpod,
  topicPaths,
  waitFor,
  type LogpodProcess,
} from './kafka-process.js';

const skip = process.env.LOGPOD_TEST_KAFKA
  ? 'LOGPOD_TEST_KAFKA is set: the SASL/TLS broker is started by the harness only'
  : !servicesAvailable().kafka
    ? 'the test services are not running (node test/services/services.js start all)'
    : false;

const LINES = 40;

interface Auth {
  brokers: string;
  sasl: { mechanism: string; username: string; password: string };
  tls: { enabled: true; ca_file: string };
}

function agentRaw(dir: string, log: string, topic: string, auth: Auth): Record<string, unknown> {
  return {
    data_dir: join(dir, `data-${Math.random().toString(36).slice(2)}`),
    inputs: [{ id: 'access', paths: [log], format: 'main', start_at: 'beginning' }],
    output: {
      kafka: { brokers: [auth.brokers], topic, sasl: auth.sasl, tls: auth.tls },
    },
    server: { enabled: true, listen: '127.0.0.1:0' },
    shutdown: { timeout: '20s' },
  };
}

function writeLog(dir: string, name: string): string {
  const log = join(dir, name);
  writeFileSync(log, Array.from({ length: LINES }, (_, i) => accessLine(i)).join(''));
  return log;
}

const expected = Array.from({ length: LINES }, (_, i) => `/n/${i}`);

async function stopPromptly(t: Test, p: LogpodProcess, what: string): Promise<void> {
  const asked = Date.now();
  p.child.kill('SIGTERM');
  const { code, at } = await p.exited;
  t.equal(code, 0, `${what}: clean exit on SIGTERM`);
  t.ok(at - asked < 15_000, `${what}: SIGTERM ends it promptly (${at - asked} ms)`);
}

t.before(async () => {
  if (!skip) await startSecureKafka();
});

t.test(
  'the agent delivers over SASL_SSL with SCRAM-SHA-512 and with PLAIN',
  { skip },
  async (t) => {
    const k = secureKafka();
    const dir = t.testdir();
    for (const [name, brokers, user] of [
      ['scram', k.scram, k.users.scram],
      ['plain', k.plain, k.users.plain],
    ] as const) {
      const topic = uniqueName(`sasl-${name}-`);
      await createSecureTopic(topic);
      const auth: Auth = { brokers, sasl: { ...user }, tls: { enabled: true, ca_file: k.caFile } };
      const agent = startLogpod(
        'agent',
        dir,
        agentRaw(dir, writeLog(dir, `${name}.log`), topic, auth),
      );
      t.teardown(() => void agent.child.kill('SIGKILL'));
      const paths = await topicPaths(k.internal, topic, LINES);
      t.same(paths, expected, `${name}: every line arrived once, in order`);
      const status = await getJson(`${await agent.base}/status`);
      t.equal(status.kafka_refused, null, `${name}: /status shows no refusal`);
      t.notMatch(agent.logs(), user.password, `${name}: the password is never logged`);
      await stopPromptly(t, agent, name);
    }
  },
);

t.test(
  'the writer consumes over SASL_SSL with SCRAM-SHA-512 into Elasticsearch',
  { skip: skip || (!servicesAvailable().elasticsearch && 'Elasticsearch is not running') },
  async (t) => {
    const k = secureKafka();
    const dir = t.testdir();
    const topic = uniqueName('sasl-writer-');
    await createSecureTopic(topic);
    const auth: Auth = {
      brokers: k.scram,
      sasl: { ...k.users.scram },
      tls: { enabled: true, ca_file: k.caFile },
    };
    const agent = startLogpod('agent', dir, agentRaw(dir, writeLog(dir, 'w.log'), topic, auth));
    t.teardown(() => void agent.child.kill('SIGKILL'));
    const ns = uniqueName('sasl');
    const writer = startLogpod('writer', dir, {
      data_dir: join(dir, 'writer-data'),
      writer: {
        kafka: {
          brokers: [k.scram],
          topic,
          group_id: uniqueName('g-'),
          dead_letter_topic: `${topic}-dlq`,
          session_timeout: '10s',
          sasl: auth.sasl,
          tls: auth.tls,
        },
      },
      output: {
        elasticsearch: {
          hosts: [elasticsearchUrl()],
          data_stream: `logs-{{dataset}}-${ns}`,
          template: { replicas: 0, refresh_interval: '1s' },
          batch_max_wait: '100ms',
        },
      },
      server: { enabled: true, listen: '127.0.0.1:0' },
      shutdown: { timeout: '10s' },
    });
    t.teardown(() => void writer.child.kill('SIGKILL'));
    const es = esClient();
    t.teardown(() => es.close());
    await waitFor(`${LINES} documents`, async () => (await countDocs(es, `logs-*-${ns}`)) >= LINES);
    await new Promise((r) => setTimeout(r, 1_500));
    t.equal(await countDocs(es, `logs-*-${ns}`), LINES, 'every line indexed once');
    await stopPromptly(t, agent, 'agent');
    await stopPromptly(t, writer, 'writer');
  },
);

interface BadCase {
  name: string;
  brokers: (k: ReturnType<typeof secureKafka>) => string;
  password?: string;
  ca: (k: ReturnType<typeof secureKafka>) => string;
  code: string;
  reason: string;
  says: RegExp;
}

const BAD: BadCase[] = [
  {
    name: 'wrong password',
    brokers: (k) => k.scram,
    password: 'not-the-password',
    ca: (k) => k.caFile,
    code: 'KAFKA_AUTH_FAILED',
    reason: 'auth_failed',
    says: /SASL authentication failed/,
  },
  {
    name: 'unknown CA',
    brokers: (k) => k.scram,
    ca: (k) => k.unknownCaFile,
    code: 'KAFKA_TLS_FAILED',
    reason: 'tls_failed',
    says: /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/,
  },
  {
    name: 'expired certificate',
    brokers: (k) => k.expired,
    ca: (k) => k.caFile,
    code: 'KAFKA_TLS_FAILED',
    reason: 'tls_failed',
    says: /CERT_HAS_EXPIRED/,
  },
];

for (const bad of BAD) {
  t.test(
    `${bad.name}: agent and writer name the cause, stay up and keep trying`,
    { skip },
    async (t) => {
      const k = secureKafka();
      const dir = t.testdir();
      const topic = uniqueName('sasl-bad-');
      await createSecureTopic(topic);
      const auth: Auth = {
        brokers: bad.brokers(k),
        sasl: { ...k.users.scram, ...(bad.password ? { password: bad.password } : {}) },
        tls: { enabled: true, ca_file: bad.ca(k) },
      };
      const agent = startLogpod('agent', dir, agentRaw(dir, writeLog(dir, 'bad.log'), topic, auth));
      t.teardown(() => void agent.child.kill('SIGKILL'));
      const writer = startLogpod('writer', dir, {
        data_dir: join(dir, 'writer-data'),
        writer: {
          kafka: {
            brokers: [auth.brokers],
            topic,
            group_id: uniqueName('g-'),
            dead_letter_topic: `${topic}-dlq`,
            sasl: auth.sasl,
            tls: auth.tls,
          },
        },
        output: {
          elasticsearch: {
            hosts: [elasticsearchUrl()],
            data_stream: `logs-{{dataset}}-${uniqueName('bad')}`,
            template: { replicas: 0 },
          },
        },
        server: { enabled: true, listen: '127.0.0.1:0' },
        shutdown: { timeout: '10s' },
      });
      t.teardown(() => void writer.child.kill('SIGKILL'));

      for (const [what, p] of [
        ['agent', agent],
        ['writer', writer],
      ] as const) {
        const base = await p.base;
        let refused: Record<string, unknown> | null = null;
        await waitFor(`${what}: kafka_refused in /status`, async () => {
          refused = (await getJson(`${base}/status`)).kafka_refused as typeof refused;
          return refused !== null;
        });
        t.match(
          refused,
          { reason: bad.reason, code: bad.code, message: bad.says },
          `${what}: /status names the cause`,
        );
        t.match(p.logs(), bad.code, `${what}: the log names the code`);
        t.match(p.logs(), bad.says, `${what}: the log says what went wrong`);
        await waitFor(
          `${what}: /startupz 200`,
          async () => (await httpStatus(`${base}/startupz`)) === 200,
          30_000,
        );
        t.pass(`${what}: started (/startupz 200) though Kafka refuses`);
        t.equal(await httpStatus(`${base}/livez`), 200, `${what}: live`);
        const ready = await fetch(`${base}/readyz`);
        t.equal(ready.status, 503, `${what}: not ready`);
        t.match(await ready.text(), bad.code, `${what}: /readyz says why`);
        const metrics = await (await fetch(`${base}/metrics`)).text();
        t.match(metrics, `logpod_kafka_refused{reason="${bad.reason}"} 1`, `${what}: the metric`);
      }
      // Still there a while later: retrying, not exiting and restarting.
      await new Promise((r) => setTimeout(r, 5_000));
      t.equal(agent.child.exitCode, null, 'the agent is still running');
      t.equal(writer.child.exitCode, null, 'the writer is still running');
      const attempts = (agent.logs().match(/cannot deliver events to Kafka|Kafka refuses/g) ?? [])
        .length;
      t.ok(attempts >= 1, 'the agent keeps trying');
      t.notMatch(agent.logs(), k.users.scram.password, 'the password is never logged');
      await stopPromptly(t, agent, 'agent');
      await stopPromptly(t, writer, 'writer');
    },
  );
}
