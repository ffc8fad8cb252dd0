// The three shipped config files load, and say what their comments promise.
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import t from 'tap';
import { loadConfigFile } from '../../../src/config/load.js';
import { outputOf } from '../../helpers/config.js';

function shipped(name: string): string {
  return fileURLToPath(new URL(`../../../config/${name}`, import.meta.url));
}

t.test('config/logpod.yaml (the reference) loads', async (t) => {
  const config = loadConfigFile(shipped('logpod.yaml'), {});
  t.equal(config.inputs[0].id, 'nginx-access');
  t.same(outputOf(config, 'kafka')?.brokers, ['kafka:9092']);
  t.equal(config.host_name, os.hostname());
});

t.test('config/standalone.yaml reads the examples from the beginning into a file', async (t) => {
  const config = loadConfigFile(shipped('standalone.yaml'), {});
  t.equal(config.data_dir, './data');
  t.same(
    config.inputs.map((i) => [i.paths, i.format, i.start_at]),
    [
      [['examples/nginx/access.log'], 'main', 'beginning'],
      [['examples/nginx/error.log'], 'error', 'beginning'],
    ],
  );
  t.same(config.output, { kind: 'file', path: './out/events.ndjson', fsync: true });
  t.equal(config.server.listen, '127.0.0.1:8686');
});

t.test(
  'config/agent.yaml: nginx logs to Kafka, brokers and topic from the environment',
  async (t) => {
    const defaults = loadConfigFile(shipped('agent.yaml'), {});
    t.same(
      defaults.inputs.map((i) => [i.paths, i.exclude, i.format, i.start_at]),
      [
        [['/var/log/nginx/access.log*'], ['*.gz'], 'main', 'end'],
        [['/var/log/nginx/error.log*'], ['*.gz'], 'error', 'end'],
      ],
    );
    t.equal(defaults.data_dir, '/var/lib/logpod');
    t.same(outputOf(defaults, 'kafka')?.brokers, ['kafka:9092']);
    t.equal(outputOf(defaults, 'kafka')?.topic, 'logs-nginx');
    t.equal(defaults.server.listen, '0.0.0.0:8686');

    const set = loadConfigFile(shipped('agent.yaml'), {
      KAFKA_BROKERS: 'k0.kafka:9092,k1.kafka:9092',
      LOGPOD_TOPIC: 'logs-shop',
      HOSTNAME: 'shop-7d9f-abcde',
    });
    t.same(outputOf(set, 'kafka')?.brokers, ['k0.kafka:9092', 'k1.kafka:9092']);
    t.equal(outputOf(set, 'kafka')?.topic, 'logs-shop');
    t.equal(set.host_name, 'shop-7d9f-abcde');
  },
);

t.test('the shipped agent and writer configs leave enrichment to their command', async (t) => {
  const agent = loadConfigFile(shipped('agent.yaml'), {}, 'agent').enrich;
  t.same(
    [agent.geoip.enabled, agent.user_agent.enabled, agent.kubernetes.enabled],
    [false, false, true],
    'the agent: Kubernetes metadata only',
  );
  const writer = loadConfigFile(shipped('writer.yaml'), {}, 'writer').enrich;
  t.same(
    [writer.geoip.enabled, writer.user_agent.enabled, writer.kubernetes.enabled],
    [true, true, false],
    'the writer: GeoIP and user agent',
  );
  const run = loadConfigFile(shipped('standalone.yaml'), {}, 'run').enrich;
  t.same([run.geoip.enabled, run.user_agent.enabled, run.kubernetes.enabled], [true, true, true]);
});
