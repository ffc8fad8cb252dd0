import t from 'tap';
import { LogpodError } from '../../../../src/errors.js';
import {
  choosePriority,
  parseTemplates,
  patternsOverlap,
  type ExistingTemplate,
} from '../../../../src/sinks/elasticsearch/template-priority.js';

function tpl(name: string, patterns: string[], priority: number): ExistingTemplate {
  return { name, patterns, priority, managedByLogpod: false };
}

t.test('wildcard patterns overlap when one index name matches both', async (t) => {
  t.ok(patternsOverlap('logs-*-*', 'logs-nginx.access-*'));
  t.ok(patternsOverlap('logs-nginx.access-*', 'logs-nginx.access-*'));
  t.ok(patternsOverlap('logs-*-default', 'logs-nginx.access-*'));
  t.ok(patternsOverlap('*', 'anything'));
  t.ok(patternsOverlap('a*c', '*b*'), 'abc matches both');
  t.ok(patternsOverlap('metrics', 'metrics'));
  t.notOk(patternsOverlap('logs-nginx.error-*', 'logs-nginx.access-*'));
  t.notOk(patternsOverlap('metrics-*-*', 'logs-nginx.access-*'));
  t.notOk(patternsOverlap('logs-other-default', 'logs-nginx.access-*'));
  t.notOk(patternsOverlap('abc', 'abd'));
  t.notOk(patternsOverlap('a*', 'b*'));
  t.notOk(patternsOverlap('*x', '*y'), 'different last characters');
});

t.test('long hostile patterns finish quickly (no backtracking)', async (t) => {
  const a = `${'*a'.repeat(120)}b`;
  const b = `${'a*'.repeat(120)}c`;
  const started = performance.now();
  t.notOk(patternsOverlap(a, b));
  t.ok(performance.now() - started < 5000);
});

const ours = ['logs-nginx.access-*', 'logs-nginx.error-*'];
const names = new Set(['logpod-logs-nginx.access-x', 'logpod-logs-nginx.error-x']);

t.test('unset: 200 when nothing overlaps, else one above the highest overlap', async (t) => {
  t.equal(choosePriority([], names, ours, undefined).priority, 200);
  t.equal(
    choosePriority([tpl('metrics', ['metrics-*-*'], 500)], names, ours, undefined).priority,
    200,
    'a template that does not overlap does not count',
  );
  t.equal(choosePriority([tpl('logs', ['logs-*-*'], 100)], names, ours, undefined).priority, 200);
  const fleet = [
    tpl('logs', ['logs-*-*'], 100),
    tpl('logs-nginx.access', ['logs-nginx.access-*'], 200),
  ];
  t.equal(choosePriority(fleet, names, ours, undefined).priority, 201);
  t.equal(
    choosePriority([tpl('logpod-logs-nginx.access-x', ours, 900)], names, ours, undefined).priority,
    200,
    'our own templates (a reinstall) do not count',
  );
});

t.test(
  'a configured priority that ties with an overlapping template is refused, naming it',
  async (t) => {
    const fleet = [tpl('fleet-logs', ['logs-*-*'], 200)];
    const err = t.throws(() => choosePriority(fleet, names, ours, 200)) as LogpodError;
    t.ok(err instanceof LogpodError);
    t.equal(err.code, 'CONFIG_INVALID');
    t.match(err.message, /output\.elasticsearch\.template\.priority: 200/);
    t.match(err.message, /"fleet-logs"/);
    t.match(err.message, /logs-\*-\*/);
    t.match(err.message, /Set template\.priority to 201 or more/);
    t.equal(choosePriority(fleet, names, ours, 300).priority, 300);
    const low = choosePriority(fleet, names, ours, 150);
    t.equal(low.priority, 150);
    t.same(
      low.outranked.map((o) => o.name),
      ['fleet-logs'],
      'a lower priority is allowed, and the winner reported',
    );
  },
);

t.test('GET _index_template bodies are read leniently', async (t) => {
  const parsed = parseTemplates({
    index_templates: [
      { name: 'a', index_template: { index_patterns: ['x-*'], priority: 7 } },
      { name: 'b', index_template: { index_patterns: 'y-*', _meta: { managed_by: 'logpod' } } },
      { name: 3, index_template: {} },
      null,
    ],
  });
  t.same(parsed, [
    { name: 'a', patterns: ['x-*'], priority: 7, managedByLogpod: false },
    { name: 'b', patterns: ['y-*'], priority: 0, managedByLogpod: true },
  ]);
  t.same(parseTemplates({}), []);
});
