import t from 'tap';
import { fileURLToPath } from 'node:url';
import { buildConfig, loadConfigFile } from '../../../src/config/load.js';
import { applyWriterFlags } from '../../../src/cli/writer.js';
import { outputOf } from '../../helpers/config.js';

t.test('flags alone make a writer config', async (t) => {
  const raw: Record<string, unknown> = {};
  applyWriterFlags(raw, {
    brokers: 'k0:9092,k1:9092',
    topic: 'logs-nginx',
    group: 'g1',
    elasticsearch: 'http://es:9200',
    index: 'logpod-{{dataset}}-%Y.%m.%d',
  });
  const config = buildConfig(raw, 'flags');
  t.same(config.inputs, [], 'a writer needs no inputs');
  t.same(config.writer?.kafka.brokers, ['k0:9092', 'k1:9092']);
  t.equal(config.writer?.kafka.group_id, 'g1');
  t.equal(config.writer?.kafka.dead_letter_topic, 'logs-nginx-dlq');
  t.equal(outputOf(config, 'elasticsearch')?.index, 'logpod-{{dataset}}-%Y.%m.%d');
  t.equal(outputOf(config, 'elasticsearch')?.data_stream, undefined);
});

t.test('flags override the file', async (t) => {
  const raw: Record<string, unknown> = {
    writer: { kafka: { brokers: ['a:1'], topic: 't' } },
    output: { elasticsearch: { hosts: ['http://a:9200'], index: 'x-%Y' } },
  };
  applyWriterFlags(raw, { topic: 'other', 'data-stream': 'logs-{{dataset}}-prod' });
  const config = buildConfig(raw, 'x');
  t.equal(config.writer?.kafka.topic, 'other');
  t.equal(outputOf(config, 'elasticsearch')?.data_stream, 'logs-{{dataset}}-prod');
  t.equal(outputOf(config, 'elasticsearch')?.index, undefined);
});

t.test('config/writer.yaml loads with its defaults', async (t) => {
  const config = loadConfigFile(
    fileURLToPath(new URL('../../../config/writer.yaml', import.meta.url)),
    {},
  );
  t.equal(config.writer?.kafka.topic, 'logs-nginx');
  t.equal(outputOf(config, 'elasticsearch')?.data_stream, 'logs-{{dataset}}-default');
  t.equal(outputOf(config, 'elasticsearch')?.batch_max_events, 1000);
  t.equal(outputOf(config, 'elasticsearch')?.template.refresh_interval, 5000);
});

t.test('an agent file without inputs is still refused', async (t) => {
  t.throws(() => buildConfig({ output: { stdout: {} } }, 'x'), /inputs: is required/);
  t.throws(
    () =>
      buildConfig(
        {
          inputs: [{ paths: ['/x'] }],
          output: { elasticsearch: { hosts: ['http://a'], index: 'a', data_stream: 'b' } },
        },
        'x',
      ),
    /either data_stream or index/,
  );
});
