import t from 'tap';
import { schemaProblems } from '../../../src/config/validate.js';

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { inputs: [{ paths: ['/var/log/nginx/access.log'] }], output: { stdout: {} }, ...extra };
}

t.test('a minimal config has no problems', async (t) => {
  t.same(schemaProblems(minimal()), []);
});

t.test('unknown keys name the path and suggest the closest known key', async (t) => {
  const problems = schemaProblems({
    inputs: [{ paths: ['a'], pathz: ['b'] }],
    output: { kafka: { brokers: ['k:9092'], topic: 't', compresion: 'gzip' } },
    inptus: [],
    shutdown: { banana: 1 },
  });
  t.same(problems.sort(), [
    'inptus: unknown key "inptus" (did you mean "inputs"?)',
    'inputs[0].pathz: unknown key "pathz" (did you mean "paths"?)',
    'output.kafka.compresion: unknown key "compresion" (did you mean "compression"?)',
    'shutdown.banana: unknown key "banana" (allowed: timeout)',
  ]);
});

t.test('stdout takes no options', async (t) => {
  t.same(schemaProblems(minimal({ output: { stdout: { pretty: true } } })), [
    'output.stdout.pretty: unknown key "pretty" (this mapping takes no keys)',
  ]);
});

t.test('wrong types say what was expected and what was found', async (t) => {
  const problems = schemaProblems(
    minimal({
      inputs: [{ paths: '/var/log/x.log', tags: 'a', fields: [] }],
      server: { enabled: 'yes' },
      data_dir: ['a'],
    }),
  );
  t.same(problems.sort(), [
    'data_dir: must be a string (got a list)',
    'inputs[0].fields: must be a mapping (key: value) (got a list)',
    'inputs[0].paths: must be a list (got "/var/log/x.log")',
    'inputs[0].tags: must be a list (got "a")',
    'server.enabled: must be true or false (got "yes")',
  ]);
});

t.test('enums list the allowed values', async (t) => {
  const problems = schemaProblems(
    minimal({
      inputs: [{ paths: ['a'], start_at: 'start', format: 'apache' }],
      logging: { level: 'verbose' },
    }),
  );
  t.same(problems.sort(), [
    'inputs[0].format: must be one of combined, main, json, error, custom (got "apache")',
    'inputs[0].start_at: must be one of beginning, end (got "start")',
    'logging.level: must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
  ]);
});

t.test('missing required values name the full key path', async (t) => {
  t.same(schemaProblems({}).sort(), ['inputs: is required', 'output: is required']);
  t.same(schemaProblems(minimal({ inputs: [{}], output: { kafka: {} } })).sort(), [
    'inputs[0].paths: is required',
    'output.kafka.brokers: is required',
    'output.kafka.topic: is required',
  ]);
  t.same(
    schemaProblems(
      minimal({
        output: { kafka: { brokers: ['k:1'], topic: 't', sasl: { mechanism: 'plain' } } },
      }),
    ).sort(),
    ['output.kafka.sasl.password: is required', 'output.kafka.sasl.username: is required'],
  );
});

t.test('empty inputs, paths and brokers are refused', async (t) => {
  t.same(schemaProblems(minimal({ inputs: [] })), ['inputs: must not be empty']);
  t.same(schemaProblems(minimal({ inputs: [{ paths: [] }] })), [
    'inputs[0].paths: must not be empty',
  ]);
  t.same(schemaProblems(minimal({ inputs: [{ paths: [''] }] })), [
    'inputs[0].paths[0]: must not be empty',
  ]);
  t.same(schemaProblems(minimal({ output: { kafka: { brokers: [], topic: 't' } } })), [
    'output.kafka.brokers: must not be empty',
  ]);
});

t.test('exactly one output kind', async (t) => {
  t.same(schemaProblems(minimal({ output: {} })), [
    'output: must configure exactly one of stdout, file, kafka, elasticsearch (found none)',
  ]);
  t.same(schemaProblems(minimal({ output: { stdout: {}, file: { path: 'x' } } })), [
    'output: must configure exactly one of stdout, file, kafka, elasticsearch (found stdout and file)',
  ]);
  t.same(schemaProblems(minimal({ output: { elasticsearch: {} } })), [
    'output.elasticsearch.hosts: is required',
  ]);
});

t.test('bad durations and sizes, and out-of-range ones', async (t) => {
  const problems = schemaProblems(
    minimal({
      inputs: [
        {
          paths: ['a'],
          close_inactive: '5 minutes',
          max_line_bytes: '1MB!',
          fingerprint_bytes: 10,
          read_buffer_bytes: '1GiB',
          rescan_interval: 0,
        },
      ],
      registry: { flush_interval: true },
      shutdown: { timeout: '30d' },
    }),
  );
  t.same(problems.sort(), [
    'inputs[0].close_inactive: must be a duration like 250ms, 5s, 2m, 1h, 1d, or a number of milliseconds (got "5 minutes")',
    'inputs[0].fingerprint_bytes: must be at least 64B (got 10)',
    'inputs[0].max_line_bytes: must be a size like 512KiB, 1MiB, 1GiB, 1KB (=1000), or a number of bytes (got "1MB!")',
    'inputs[0].read_buffer_bytes: must be at most 64MiB (got "1GiB")',
    'inputs[0].rescan_interval: must be at least 1ms (got 0)',
    'registry.flush_interval: must be a duration like 250ms, 5s, 2m, 1h, 1d, or a number of milliseconds (got true)',
    'shutdown.timeout: must be at most 24d (got "30d")',
  ]);
});

t.test('listen addresses, brokers, topics, timezones and ids have their own wording', async (t) => {
  const problems = schemaProblems(
    minimal({
      inputs: [{ paths: ['a'], id: 'has space', timezone: 'Europe/Paris' }],
      output: { kafka: { brokers: ['kafka', 'a:1,b'], topic: 'logs/{{host}}' } },
      server: { listen: '8686' },
    }),
  );
  t.same(problems.sort(), [
    'inputs[0].id: must be an id of letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit) (got "has space")',
    'inputs[0].timezone: must be a UTC offset like +00:00, +02:00 or -05:30 (got "Europe/Paris")',
    'output.kafka.brokers[0]: must be HOST:PORT, or several separated by commas, e.g. kafka-0:9092,kafka-1:9092 (got "kafka")',
    'output.kafka.brokers[1]: must be HOST:PORT, or several separated by commas, e.g. kafka-0:9092,kafka-1:9092 (got "a:1,b")',
    'output.kafka.topic: must be a topic name of letters, digits, ".", "_" and "-", optionally with {{format}} and {{input}} (got "logs/{{host}}")',
    'server.listen: must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8686 (got "8686")',
  ]);
  t.same(
    schemaProblems(
      minimal({ output: { kafka: { brokers: ['a:1, b:2'], topic: 'logs-{{format}}.{{input}}' } } }),
    ),
    [],
  );
});

t.test(
  'numeric and boolean strings are read as numbers and booleans where the schema wants them',
  async (t) => {
    const data = minimal({
      inputs: [{ paths: ['a'], max_open_files: '512' }],
      pipeline: { batch_max_events: '100' },
      server: { enabled: 'false' },
    });
    t.same(schemaProblems(data), []);
    const inputs = data.inputs as Record<string, unknown>[];
    t.equal(inputs[0].max_open_files, 512);
    t.equal((data.pipeline as Record<string, unknown>).batch_max_events, 100);
    t.equal((data.server as Record<string, unknown>).enabled, false);
    t.same(schemaProblems(minimal({ inputs: [{ paths: ['a'], max_open_files: '12abc' }] })), [
      'inputs[0].max_open_files: must be a whole number (got "12abc")',
    ]);
    t.same(schemaProblems(minimal({ inputs: [{ paths: ['a'], max_open_files: 0 }] })), [
      'inputs[0].max_open_files: must be at least 1 (got 0)',
    ]);
  },
);

t.test('a value under a secret key is never echoed', async (t) => {
  const problems = schemaProblems(
    minimal({
      output: {
        kafka: {
          brokers: ['k:1'],
          topic: 't',
          sasl: { mechanism: 'plain', username: 'u', password: ['hunter2'] },
        },
      },
    }),
  );
  t.same(problems, ['output.kafka.sasl.password: must be a string']);
});

t.test('duplicate tags are reported', async (t) => {
  t.same(schemaProblems(minimal({ inputs: [{ paths: ['a'], tags: ['x', 'y', 'x'] }] })), [
    'inputs[0].tags: must not repeat an item (items 0 and 2 are the same)',
  ]);
});

t.test('fields is free-form', async (t) => {
  t.same(
    schemaProblems(
      minimal({ inputs: [{ paths: ['a'], fields: { service: { name: 'shop', tier: 1 } } }] }),
    ),
    [],
  );
});

t.test('enrich and alerts: proxies are CIDR blocks, rules and webhook are checked', async (t) => {
  t.same(
    schemaProblems(
      minimal({
        enrich: {
          trusted_proxies: ['10.0.0.0/8', '2001:db8::/32', '203.0.113.7', 'unix:'],
          geoip: { cache_size: '5000', ipv6: 'false' },
        },
        alerts: {
          rules: [{ name: 'errors', type: 'error_ratio', threshold: 0.05, window: '1m' }],
          webhook: { url: 'https://hooks.example.com/x', retries: 3 },
        },
      }),
    ),
    [],
  );
  t.same(
    schemaProblems(
      minimal({
        enrich: { trusted_proxies: ['10.0.0.0/33', 'proxy.local'], geoip: { cache_size: 0 } },
        alerts: {
          rules: [
            { name: 'bad name!', type: 'ratio', window: '2h', percentile: 100 },
            { type: 'no_events' },
          ],
          webhook: {
            url: 'ftp://hooks.example.com/s3cr3t',
            retries: 11,
            headers: { Authorization: ['Bearer', 's3cr3t'] },
          },
        },
      }),
    ),
    [
      'enrich.geoip.cache_size: must be at least 2 (got 0)',
      'enrich.trusted_proxies[0]: must be a CIDR block like 10.0.0.0/8 or 2001:db8::/32, a single address, or unix: (got "10.0.0.0/33")',
      'enrich.trusted_proxies[1]: must be a CIDR block like 10.0.0.0/8 or 2001:db8::/32, a single address, or unix: (got "proxy.local")',
      'alerts.rules[0].name: must be a name of letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit) (got "bad name!")',
      'alerts.rules[0].type: must be one of error_ratio, latency, no_events (got "ratio")',
      'alerts.rules[0].window: must be at most 1h (got "2h")',
      'alerts.rules[0].percentile: must be a percentile above 0 and below 100, e.g. 99 or 99.9 (got 100)',
      'alerts.rules[1].name: is required',
      'alerts.webhook.url: must be a URL like https://hooks.example.com/services/...',
      'alerts.webhook.retries: must be at most 10 (got 11)',
      'alerts.webhook.headers.Authorization: must be a string',
    ],
  );
});

t.test('output.kafka.gzip_level is a zlib level from 1 to 9', async (t) => {
  const kafka = (level: unknown) =>
    schemaProblems(
      minimal({ output: { kafka: { brokers: ['k:9092'], topic: 't', gzip_level: level } } }),
    );
  t.same(kafka(1), []);
  t.same(kafka(9), []);
  t.match(kafka(10), [/^output\.kafka\.gzip_level: .*9/]);
  t.match(kafka(0), [/^output\.kafka\.gzip_level: .*1/]);
  t.match(kafka('fast'), [/^output\.kafka\.gzip_level: /]);
});

t.test('output.kafka.max_buffered_bytes is a size from 64KiB to 1GiB', async (t) => {
  const kafka = (size: unknown) =>
    schemaProblems(
      minimal({ output: { kafka: { brokers: ['k:9092'], topic: 't', max_buffered_bytes: size } } }),
    );
  t.same(kafka('64KiB'), []);
  t.same(kafka('16MiB'), []);
  t.match(kafka('1KiB'), [/^output\.kafka\.max_buffered_bytes: /]);
  t.match(kafka('2GiB'), [/^output\.kafka\.max_buffered_bytes: /]);
  t.match(kafka('lots'), [/^output\.kafka\.max_buffered_bytes: /]);
});

t.test('regression: a bad URL is never repeated with its credentials', async (t) => {
  const problems = schemaProblems(
    minimal({
      output: {
        elasticsearch: {
          hosts: [
            'https://elastic:pw-SECRET@es host:9200',
            'https://elastic:p w-SECRET@es host2:9200',
          ],
        },
      },
    }),
  );
  t.equal(problems.length, 2, problems.join('\n'));
  t.match(problems[0], /^output\.elasticsearch\.hosts\[0\]: must be /);
  t.match(problems[0], /"https:\/\/\[redacted\]@es host:9200"/, 'the host is still shown');
  t.notMatch(problems.join('\n'), /SECRET/);
});
