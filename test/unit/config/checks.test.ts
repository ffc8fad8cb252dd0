import t from 'tap';
import { crossKeyProblems } from '../../../src/config/checks.js';

function config(extra: Record<string, unknown>): Record<string, unknown> {
  return { inputs: [{ paths: ['a'] }], output: { stdout: {} }, ...extra };
}

t.test('format custom needs log_format', async (t) => {
  t.same(crossKeyProblems(config({ inputs: [{ paths: ['a'], format: 'custom' }] })), [
    'inputs[0].log_format: is required when format is custom',
  ]);
  t.same(
    crossKeyProblems(
      config({ inputs: [{ paths: ['a'], format: 'custom', log_format: '$status' }] }),
    ),
    [],
  );
});

t.test('log_format alone implies custom; with another format it is a mistake', async (t) => {
  t.same(crossKeyProblems(config({ inputs: [{ paths: ['a'], log_format: '$status' }] })), []);
  t.same(
    crossKeyProblems(config({ inputs: [{ paths: ['a'], format: 'main', log_format: '$status' }] })),
    [
      'inputs[0].log_format: only applies when format is custom (format is "main"; remove format or set it to custom)',
    ],
  );
});

t.test('input ids are unique, defaults included', async (t) => {
  t.same(
    crossKeyProblems(
      config({
        inputs: [
          { paths: ['a'], id: 'x' },
          { paths: ['b'], id: 'x' },
        ],
      }),
    ),
    ['inputs[1].id: "x" is already the id of inputs[0]; ids must be unique'],
  );
  t.same(
    crossKeyProblems(config({ inputs: [{ paths: ['a'] }, { paths: ['b'], id: 'input-0' }] })),
    ['inputs[1].id: "input-0" is already the id of inputs[0]; ids must be unique'],
  );
});

t.test('an idempotent producer needs acks: all (idempotent is on by default)', async (t) => {
  const kafka = { brokers: ['k:1'], topic: 't' };
  t.same(crossKeyProblems(config({ output: { kafka: { ...kafka, acks: 'leader' } } })), [
    'output.kafka.idempotent: requires acks: all (acks is "leader"); set idempotent: false to use another acks setting',
  ]);
  t.same(
    crossKeyProblems(config({ output: { kafka: { ...kafka, acks: 'none', idempotent: false } } })),
    [],
  );
});

t.test('client certificate and key go together', async (t) => {
  const kafka = { brokers: ['k:1'], topic: 't' };
  t.same(
    crossKeyProblems(
      config({ output: { kafka: { ...kafka, tls: { enabled: true, key_file: 'k.pem' } } } }),
    ),
    ['output.kafka.tls.cert_file: is required when tls.key_file is given'],
  );
  t.same(
    crossKeyProblems(
      config({ output: { kafka: { ...kafka, tls: { cert_file: 'c.pem', key_file: 'k.pem' } } } }),
    ),
    [],
  );
});

t.test('in-flight limits hold at least one batch, defaults included', async (t) => {
  t.same(crossKeyProblems(config({ pipeline: { max_in_flight_events: 1000 } })), [
    'pipeline.max_in_flight_events: must be at least batch_max_events (2048), or a batch could never fill (got 1000)',
  ]);
  t.same(crossKeyProblems(config({ pipeline: { batch_max_bytes: '64MiB' } })), [
    'pipeline.max_in_flight_bytes: must be at least batch_max_bytes (64MiB), or a batch could never fill (got 32MiB)',
  ]);
  t.same(
    crossKeyProblems(config({ pipeline: { batch_max_events: 10, max_in_flight_events: 10 } })),
    [],
  );
});

t.test('values of the wrong type are left to the schema', async (t) => {
  t.same(
    crossKeyProblems(config({ inputs: 'x', output: [], pipeline: { batch_max_bytes: 'lots' } })),
    [],
  );
  t.same(crossKeyProblems(null), []);
});

t.test('alert rules: names unique, threshold per type, keys that do not apply', async (t) => {
  t.same(
    crossKeyProblems(
      config({
        alerts: {
          rules: [
            { name: 'a', type: 'error_ratio', threshold: 0.05 },
            { name: 'b', type: 'error_ratio', threshold: '5%' },
            { name: 'c', type: 'latency', threshold: '500ms', percentile: 99 },
            { name: 'd', type: 'no_events', window: '10m' },
          ],
        },
      }),
    ),
    [],
  );
  t.same(
    crossKeyProblems(
      config({
        alerts: {
          rules: [
            { name: 'a', type: 'error_ratio' },
            { name: 'a', type: 'error_ratio', threshold: 5 },
            { name: 'b', type: 'latency', threshold: 'fast' },
            { name: 'c', type: 'no_events', threshold: 1, percentile: 99 },
            { name: 'e', type: 'error_ratio', threshold: 0.1, percentile: 99 },
          ],
        },
      }),
    ),
    [
      'alerts.rules[0].threshold: is required for type error_ratio',
      'alerts.rules[1].name: "a" is already the name of rule 0',
      'alerts.rules[1].threshold: must be a ratio above 0 and at most 1 (0.05), or a percentage (5%) for type error_ratio',
      'alerts.rules[2].threshold: must be a duration like 250ms, 5s, 2m, 1h, 1d, or a number of milliseconds, above 0, for type latency',
      'alerts.rules[3].threshold: does not apply to type no_events',
      'alerts.rules[3].percentile: does not apply to type no_events',
      'alerts.rules[4].percentile: does not apply to type error_ratio',
    ],
  );
});
