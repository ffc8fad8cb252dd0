import t from 'tap';
import { addTag, mergeMissing, type EcsEvent } from '../../../src/pipeline/event.js';

t.test('mergeMissing copies nested objects instead of sharing them', async (t) => {
  const extra = { labels: { team: 'a' } };
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  mergeMissing(a, extra);
  mergeMissing(b, extra);
  (a.labels as Record<string, string>).team = 'changed';
  t.same(b.labels, { team: 'a' });
});

t.test('addTag adds a tag once', async (t) => {
  const event: EcsEvent = { event: { original: 'x' } };
  addTag(event, 'a');
  addTag(event, 'b');
  addTag(event, 'a');
  t.same(event.tags, ['a', 'b']);
});

t.test('regression: mergeMissing never reaches a prototype', async (t) => {
  // Own "__proto__" keys, as JSON.parse and YAML make them.
  const extra = JSON.parse('{"__proto__": {"polluted": 1}, "a": {"constructor": {"x": 1}}}');
  const target: Record<string, unknown> = { a: {} };
  mergeMissing(target, extra);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  t.equal(Object.getPrototypeOf(target), Object.prototype, 'the target keeps its prototype');
  t.equal(typeof ({} as { constructor: unknown }).constructor, 'function');
  t.notOk(Object.hasOwn(target, '__proto__'), 'forbidden keys are not copied');
});
