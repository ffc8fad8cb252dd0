import t from 'tap';
import { interpolateEnv, interpolateString } from '../../../src/config/interpolate.js';

const env = { KAFKA: 'k1:9092', EMPTY: '', N: '512', DOLLAR: '$X' };

function text(value: string): string {
  const r = interpolateString(value, env);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

t.test('${VAR} is replaced, also inside longer strings and several times', async (t) => {
  t.equal(text('${KAFKA}'), 'k1:9092');
  t.equal(text('broker=${KAFKA};n=${N}!'), 'broker=k1:9092;n=512!');
});

t.test('${VAR:-default} uses the default when VAR is unset or empty', async (t) => {
  t.equal(text('${MISSING:-kafka:9092}'), 'kafka:9092');
  t.equal(text('${EMPTY:-fallback}'), 'fallback');
  t.equal(text('${N:-256}'), '512');
  t.equal(text('${MISSING:-}'), '');
});

t.test('$$ is a literal $, and other $ pass through (nginx variables)', async (t) => {
  t.equal(text('cost: $$5'), 'cost: $5');
  t.equal(text('$${remote_addr}'), '${remote_addr}');
  t.equal(
    text('$remote_addr - [$time_local] "$request"'),
    '$remote_addr - [$time_local] "$request"',
  );
  t.equal(text('trailing $'), 'trailing $');
  t.equal(text('$$$$'), '$$');
});

t.test('values from the environment are not interpolated again', async (t) => {
  t.equal(text('${DOLLAR}'), '$X');
});

t.test('bad references are errors', async (t) => {
  const unset = interpolateString('${NOPE}', env);
  t.equal(unset.ok, false);
  t.match(!unset.ok && unset.error, /NOPE is not set/);
  t.match(interpolateString('${1ABC}', env), { ok: false, error: /invalid reference/ });
  t.match(interpolateString('${}', env), { ok: false, error: /invalid reference/ });
  t.match(interpolateString('${OPEN', env), { ok: false, error: /unterminated/ });
});

t.test('the tree walk interpolates lists and nested mappings, not keys', async (t) => {
  const { value, problems } = interpolateEnv(
    {
      '${KEY}': 'k',
      output: { kafka: { brokers: ['${KAFKA}', 'b:${N}'], topic: 'logs' } },
      inputs: [{ max_open_files: '${N:-256}', paths: ['/x/${MISSING:-y}/*.log'] }],
      n: 5,
      on: true,
      nothing: null,
    },
    env,
  );
  t.same(problems, []);
  t.same(value, {
    '${KEY}': 'k',
    output: { kafka: { brokers: ['k1:9092', 'b:512'], topic: 'logs' } },
    inputs: [{ max_open_files: '512', paths: ['/x/y/*.log'] }],
    n: 5,
    on: true,
    nothing: null,
  });
});

t.test('every unset variable is reported with the key path where it appears', async (t) => {
  const { problems } = interpolateEnv(
    {
      output: { kafka: { sasl: { password: '${KAFKA_PASSWORD}' } } },
      inputs: [{ paths: ['a'] }, { paths: ['${LOG_DIR}/access.log'] }],
    },
    {},
  );
  t.equal(problems.length, 2);
  t.match(
    problems[0],
    /^output\.kafka\.sasl\.password: environment variable KAFKA_PASSWORD is not set/,
  );
  t.match(problems[1], /^inputs\[1\]\.paths\[0\]: environment variable LOG_DIR is not set/);
});

t.test('the input tree is not changed', async (t) => {
  const tree = { a: ['${N}'] };
  interpolateEnv(tree, env);
  t.same(tree, { a: ['${N}'] });
});

t.test('regression: an error never repeats an inline default (it may be a secret)', async (t) => {
  const bad = interpolateString('${DB-PASS:-hunter2-SECRET}', env);
  t.equal(bad.ok, false);
  t.match(!bad.ok && bad.error, /invalid reference "\$\{DB-PASS:-\[redacted\]\}"/);
  t.notMatch(!bad.ok && bad.error, /SECRET/);
});
