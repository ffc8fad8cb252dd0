import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { scratchDir } from '../../helpers/testdir.js';
import {
  buildConfig,
  loadConfigFile,
  loadConfigText,
  parseRawConfigText,
} from '../../../src/config/load.js';
import { LogpodError } from '../../../src/errors.js';
import { outputOf } from '../../helpers/config.js';

/** The problem lines of the CONFIG_INVALID error `fn` throws. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof LogpodError) || err.code !== 'CONFIG_INVALID') throw err;
    return err.message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('expected CONFIG_INVALID');
}

function tempDir(t: Test): string {
  const dir = scratchDir(t);
  return dir;
}

const MINIMAL = `
inputs:
  - paths: [/var/log/nginx/access.log]
output:
  stdout: {}
`;

t.test('a file is read, interpolated, validated and defaulted', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'logpod.yaml');
  writeFileSync(
    file,
    `
data_dir: \${STATE:-/tmp/state}
inputs:
  - id: web
    paths: ["\${LOG_DIR}/access.log*", "/srv/\${SITE:-shop}/*.log"]
    max_open_files: \${N:-256}
    close_inactive: \${CLOSE:-2m}
output:
  kafka:
    brokers: ["\${KAFKA_BROKERS:-kafka:9092}"]
    topic: logs-\${ENV}
    idempotent: \${IDEMPOTENT:-true}
server:
  listen: \${LISTEN:-0.0.0.0:9000}
`,
  );
  const config = loadConfigFile(file, {
    LOG_DIR: '/var/log/nginx',
    ENV: 'prod',
    KAFKA_BROKERS: 'a:1,b:2',
  });
  t.equal(config.data_dir, '/tmp/state');
  t.same(config.inputs[0].paths, ['/var/log/nginx/access.log*', '/srv/shop/*.log']);
  t.equal(config.inputs[0].max_open_files, 256);
  t.equal(config.inputs[0].close_inactive, 120_000);
  t.same(outputOf(config, 'kafka')?.brokers, ['a:1', 'b:2']);
  t.equal(outputOf(config, 'kafka')?.topic, 'logs-prod');
  t.equal(outputOf(config, 'kafka')?.idempotent, true);
  t.equal(config.server.listen, '0.0.0.0:9000');
});

t.test('a number from the environment is a number, a bad one is a type error', async (t) => {
  const text = `${MINIMAL}pipeline:\n  batch_max_events: \${BATCH}\n  max_in_flight_events: \${INFLIGHT:-4096}\n`;
  const config = loadConfigText(text, 'x.yaml', { BATCH: '100' });
  t.equal(config.pipeline.batch_max_events, 100);
  t.equal(config.pipeline.max_in_flight_events, 4096);
  t.same(
    problemsOf(() => loadConfigText(text, 'x.yaml', { BATCH: 'many' })),
    ['pipeline.batch_max_events: must be a whole number (got "many")'],
  );
});

t.test('an unset variable without default names the variable and the key path', async (t) => {
  const text = `${MINIMAL}host_name: \${NODE_NAME}\ndata_dir: /x/\${APP}\n`;
  t.same(
    problemsOf(() => loadConfigText(text, 'x.yaml', {})),
    [
      'host_name: environment variable NODE_NAME is not set (use ${NODE_NAME:-default} to give a default)',
      'data_dir: environment variable APP is not set (use ${APP:-default} to give a default)',
    ],
  );
});

t.test('$$ and nginx variables in log_format survive loading', async (t) => {
  const config = loadConfigText(
    `inputs:
  - paths: [a]
    log_format: '$remote_addr [$time_local] "$request" $status $\${http_x_id} cost=$$1'
output: { stdout: }
`,
    'x.yaml',
    {},
  );
  t.equal(config.inputs[0].format, 'custom');
  t.equal(
    config.inputs[0].log_format,
    '$remote_addr [$time_local] "$request" $status ${http_x_id} cost=$1',
  );
});

t.test('every problem is reported in one CONFIG_INVALID error naming the file', async (t) => {
  const text = `
inputs:
  - pathz: [/var/log/x.log]
    start_at: start
    format: custom
    max_line_bytes: 1 MiB
  - paths: []
output:
  stdout: {}
  file: { path: out.ndjson }
server:
  listen: localhost
registry:
  flush_interval: soon
`;
  let error: LogpodError | undefined;
  try {
    loadConfigText(text, '/etc/logpod/bad.yaml', {});
  } catch (err) {
    error = err as LogpodError;
  }
  t.ok(error instanceof LogpodError);
  t.equal(error?.code, 'CONFIG_INVALID');
  t.equal(error?.retryable, false);
  t.match(error?.message, /^invalid configuration in \/etc\/logpod\/bad\.yaml \(9 problems\):\n/);
  const problems = problemsOf(() => loadConfigText(text, 'bad.yaml', {}));
  t.same(problems.sort(), [
    'inputs[0].log_format: is required when format is custom',
    'inputs[0].max_line_bytes: must be a size like 512KiB, 1MiB, 1GiB, 1KB (=1000), or a number of bytes (got "1 MiB")',
    'inputs[0].paths: is required',
    'inputs[0].pathz: unknown key "pathz" (did you mean "paths"?)',
    'inputs[0].start_at: must be one of beginning, end (got "start")',
    'inputs[1].paths: must not be empty',
    'output: must configure exactly one of stdout, file, kafka, elasticsearch (found stdout and file)',
    'registry.flush_interval: must be a duration like 250ms, 5s, 2m, 1h, 1d, or a number of milliseconds (got "soon")',
    'server.listen: must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8686 (got "localhost")',
  ]);
});

t.test('YAML syntax errors are CONFIG_PARSE with file, line and column', async (t) => {
  const text = 'inputs:\n  - paths: [a]\noutput:\n  stdout: {}\n  file: path: x\n';
  t.throws(() => loadConfigText(text, 'conf/bad.yaml', {}), {
    code: 'CONFIG_PARSE',
    message: /conf\/bad\.yaml:5:9: /,
  });
  t.throws(() => loadConfigText('inputs: [a\n', 'x.yaml', {}), {
    code: 'CONFIG_PARSE',
    message: /x\.yaml:\d+:\d+: /,
  });
  t.throws(() => loadConfigText('a: 1\na: 2\n', 'dup.yaml', {}), {
    code: 'CONFIG_PARSE',
    message: /dup\.yaml:2:1: .*unique/,
  });
});

t.test('a missing or unreadable file is CONFIG_NOT_FOUND', async (t) => {
  const dir = tempDir(t);
  t.throws(() => loadConfigFile(join(dir, 'nope.yaml'), {}), {
    code: 'CONFIG_NOT_FOUND',
    message: /nope\.yaml not found/,
  });
  mkdirSync(join(dir, 'a-dir.yaml'));
  t.throws(() => loadConfigFile(join(dir, 'a-dir.yaml'), {}), {
    code: 'CONFIG_NOT_FOUND',
    message: /cannot be read \(EISDIR\)/,
  });
});

t.test('the top level must be a mapping; an empty file lacks inputs and output', async (t) => {
  t.same(
    problemsOf(() => loadConfigText('- a\n- b\n', 'x.yaml', {})),
    ['(root): must be a mapping of options (key: value), not a list or a single value'],
  );
  t.same(problemsOf(() => loadConfigText('', 'x.yaml', {})).sort(), [
    'inputs: is required',
    'output: is required',
  ]);
  t.same(problemsOf(() => loadConfigText('# nothing\n', 'x.yaml', {})).sort(), [
    'inputs: is required',
    'output: is required',
  ]);
});

t.test('an empty value takes the default; an empty output kind has no options', async (t) => {
  const config = loadConfigText(
    `data_dir:
inputs:
  - paths: [a]
    exclude:
    start_at:
output:
  stdout:
registry:
`,
    'x.yaml',
    {},
  );
  t.equal(config.data_dir, '/var/lib/logpod');
  t.same(config.inputs[0].exclude, []);
  t.equal(config.inputs[0].start_at, 'end');
  t.same(config.output, { kind: 'stdout' });
  t.same(
    problemsOf(() => loadConfigText('inputs: [{paths: [a]}]\noutput:\n  file:\n', 'x.yaml', {})),
    ['output.file.path: is required'],
  );
});

t.test('LOGPOD_LOG_LEVEL overrides logging.level; a bad value is named', async (t) => {
  const text = `${MINIMAL}logging:\n  level: warn\n`;
  t.equal(loadConfigText(text, 'x.yaml', {}).logging.level, 'warn');
  t.equal(loadConfigText(text, 'x.yaml', { LOGPOD_LOG_LEVEL: 'debug' }).logging.level, 'debug');
  t.equal(loadConfigText(MINIMAL, 'x.yaml', { LOGPOD_LOG_LEVEL: 'trace' }).logging.level, 'trace');
  t.same(
    problemsOf(() => loadConfigText(text, 'x.yaml', { LOGPOD_LOG_LEVEL: 'loud' })),
    [
      'LOGPOD_LOG_LEVEL (environment): must be one of trace, debug, info, warn, error, fatal, silent (got "loud")',
    ],
  );
});

t.test('flags merged into the raw tree go through the same validation', async (t) => {
  const raw = parseRawConfigText(MINIMAL, 'x.yaml', {});
  const inputs = raw.inputs as Record<string, unknown>[];
  inputs[0].start_at = 'beginning';
  raw.data_dir = './data';
  const config = buildConfig(raw, 'x.yaml');
  t.equal(config.inputs[0].start_at, 'beginning');
  t.equal(config.data_dir, './data');
  inputs[0].start_at = 'middle';
  t.same(
    problemsOf(() => buildConfig(raw, 'command-line flags')),
    ['inputs[0].start_at: must be one of beginning, end (got "middle")'],
  );
});

t.test('buildConfig neither changes nor keeps the raw tree', async (t) => {
  const raw = {
    inputs: [{ paths: ['a'], max_open_files: '10', fields: { a: { b: 1 } } }],
    output: { stdout: null },
  };
  const before = JSON.stringify(raw);
  const config = buildConfig(raw, 'x');
  t.equal(JSON.stringify(raw), before);
  t.equal(config.inputs[0].max_open_files, 10);
  t.not(config.inputs[0].fields, raw.inputs[0].fields);
});

t.test('a "__proto__" key is refused, not merged into the prototype', async (t) => {
  const problems = problemsOf(() =>
    loadConfigText(`${MINIMAL}__proto__:\n  polluted: true\n`, 'x.yaml', {}),
  );
  t.same(problems, [
    '__proto__: key "__proto__" is not allowed (it could change how objects behave)',
  ]);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test(
  'regression: __proto__, constructor and prototype keys anywhere are refused, naming the path',
  async (t) => {
    const text = `
inputs:
  - paths: [/var/log/nginx/access.log]
    fields:
      service: { __proto__: { polluted: yes } }
      labels: { constructor: { prototype: { polluted: yes } } }
output:
  stdout: {}
`;
    const problems = problemsOf(() => loadConfigText(text, 'x.yaml', {}));
    t.ok(
      problems.includes(
        'inputs[0].fields.service.__proto__: key "__proto__" is not allowed (it could change how objects behave)',
      ),
      problems.join('\n'),
    );
    t.ok(
      problems.includes(
        'inputs[0].fields.labels.constructor: key "constructor" is not allowed (it could change how objects behave)',
      ),
      problems.join('\n'),
    );
    t.equal(({} as Record<string, unknown>).polluted, undefined);
  },
);

t.test('regression: a flag-merged tree with a prototype key is refused too', async (t) => {
  const raw = JSON.parse(
    '{"inputs":[{"paths":["/x"],"fields":{"prototype":{"a":1}}}],"output":{"stdout":{}}}',
  );
  const problems = problemsOf(() => buildConfig(raw, 'flags'));
  t.match(problems.join('\n'), /inputs\[0\]\.fields\.prototype: key "prototype" is not allowed/);
});
