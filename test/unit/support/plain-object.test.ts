import t from 'tap';
import { isPlainObject, setOwn } from '../../../src/support/plain-object.js';

t.test('a plain object is an object that is neither null nor an array', async (t) => {
  t.ok(isPlainObject({}));
  t.ok(isPlainObject(JSON.parse('{"a":1}')));
  for (const v of [null, undefined, [], [1], 'x', 1, true]) t.notOk(isPlainObject(v), String(v));
});

t.test('setOwn makes __proto__ an own key and leaves the prototype alone', async (t) => {
  const obj: Record<string, unknown> = {};
  setOwn(obj, '__proto__', { polluted: true });
  setOwn(obj, 'a', 1);
  t.ok(Object.hasOwn(obj, '__proto__'), 'an own property');
  t.equal(Object.getPrototypeOf(obj), Object.prototype, 'the prototype did not change');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'nothing leaked into Object');
  t.same(Object.keys(obj), ['__proto__', 'a']);
  t.same(JSON.parse(JSON.stringify(obj)), JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
});
