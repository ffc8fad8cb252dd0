import t from 'tap';
import { parse } from 'yaml';
import { buildConfig, loadConfigText } from '../../../src/config/load.js';
import { configFileTree } from '../../../src/config/normalize.js';
import { redactConfig } from '../../../src/config/redact.js';
import { renderConfigYaml } from '../../../src/config/render.js';

const config = buildConfig(
  {
    inputs: [
      {
        id: 'web',
        paths: ['/var/log/nginx/access.log*'],
        log_format: '$remote_addr - $remote_user [$time_local] "$request" $status # not a comment',
        fields: { 'service.name': 'shop', note: 'yes' },
      },
    ],
    output: {
      kafka: {
        brokers: ['kafka:9092'],
        topic: 'logs',
        sasl: { mechanism: 'scram-sha-256', username: 'logpod', password: 'p@ss: #word' },
      },
    },
    host_name: 'node-1',
  },
  'x',
);

t.test('the rendered YAML parses back to the same value', async (t) => {
  const redacted = redactConfig(config);
  t.same(parse(renderConfigYaml(redacted)), redacted);
});

t.test('no secret appears in the rendered output', async (t) => {
  const text = renderConfigYaml(redactConfig(config));
  t.notOk(text.includes('p@ss'));
  t.match(text, /password: "?\[redacted\]"?/);
});

t.test('the effective config, rendered, loads again as the same config', async (t) => {
  const text = renderConfigYaml(configFileTree(config));
  t.same(loadConfigText(text, 'rendered.yaml', {}), config);
});
