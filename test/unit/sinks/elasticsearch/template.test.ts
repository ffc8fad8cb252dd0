import t from 'tap';
import type { Client } from '@elastic/elasticsearch';
import {
  installTemplate,
  templateBody,
  type TemplateOptions,
} from '../../../../src/sinks/elasticsearch/template.js';

const options: TemplateOptions = {
  name: 'logpod-logs',
  pattern: 'logs-*-default',
  kind: 'data_stream',
  priority: 200,
  shards: 1,
  replicas: 0,
  refreshIntervalMs: 1000,
};

/** A client whose one request fails as given (a stand-in, for this module's unit test only). */
function failingClient(error: unknown): Client {
  return { transport: { request: () => Promise.reject(error) } } as unknown as Client;
}

t.test('the template maps the ECS fields the dashboards and queries rely on', async (t) => {
  const body = templateBody(options) as {
    index_patterns: string[];
    data_stream?: object;
    template: {
      mappings: {
        properties: Record<string, { properties?: Record<string, unknown>; type?: string }>;
      };
    };
  };
  t.same(body.index_patterns, ['logs-*-default']);
  t.ok(body.data_stream, 'a data stream template');
  const props = body.template.mappings.properties;
  t.equal(props['@timestamp'].type, 'date');
  t.match(props.source.properties?.ip, { type: 'ip' });
  t.match(props.event.properties?.original, { index: false });
});

t.test(
  'Elasticsearch unreachable (no status) is retryable; a refusal is a config error',
  async (t) => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), {
      meta: { statusCode: 0 },
    });
    await t.rejects(installTemplate(failingClient(refused), options), {
      code: 'ELASTICSEARCH_UNAVAILABLE',
      retryable: true,
    });
    const noMeta = new Error('socket hang up');
    await t.rejects(installTemplate(failingClient(noMeta), options), {
      retryable: true,
      message: /socket hang up/,
    });
    const busy = Object.assign(new Error('too many requests'), { meta: { statusCode: 429 } });
    await t.rejects(installTemplate(failingClient(busy), options), {
      retryable: true,
      message: /too many requests/,
    });
    const bad = Object.assign(new Error('illegal_argument_exception'), {
      meta: { statusCode: 400 },
    });
    await t.rejects(installTemplate(failingClient(bad), options), {
      code: 'CONFIG_INVALID',
      retryable: false,
      message: /logpod-logs/,
    });
  },
);
