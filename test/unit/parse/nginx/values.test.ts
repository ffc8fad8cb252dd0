import t from 'tap';
import {
  ABSENT,
  INVALID,
  isSingle,
  secondsToNs,
  text,
  uint,
} from '../../../../src/parse/nginx/values.js';

t.test("'-' and '' are absent for every reader", async (t) => {
  for (const v of ['-', '', undefined]) {
    t.equal(text(v), undefined);
    t.equal(uint(v), ABSENT);
    t.equal(secondsToNs(v), ABSENT);
  }
});

t.test('uint', async (t) => {
  t.equal(uint('0'), 0);
  t.equal(uint('007'), 7);
  t.equal(uint('999999999999999'), 999999999999999);
  t.equal(uint(42), 42);
  for (const bad of ['1000000000000000', '-1', '1.5', ' 1', '1 ', '0x10', 'NaN'])
    t.equal(uint(bad), INVALID, bad);
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 60]) t.equal(uint(bad), INVALID, String(bad));
});

t.test('secondsToNs is exact to the nanosecond', async (t) => {
  t.equal(secondsToNs('0.001'), 1_000_000);
  t.equal(secondsToNs('0.123456789'), 123_456_789);
  t.equal(secondsToNs('3'), 3_000_000_000);
  t.equal(secondsToNs('9999999.999'), 9_999_999_999_000_000);
  t.equal(secondsToNs(0.042), 42_000_000);
  for (const bad of ['.5', '5.', '1.0000000001', '1,5', '10000000', '-1', 'x'])
    t.equal(secondsToNs(bad), INVALID, bad);
  t.equal(secondsToNs(-1), INVALID);
});

t.test('text decodes nginx escapes and stringifies JSON scalars', async (t) => {
  t.equal(text('a\\x20b'), 'a b');
  t.equal(text(12), '12');
});

t.test('isSingle tells one upstream value from a list', async (t) => {
  t.ok(isSingle('200'));
  t.notOk(isSingle('502, 200'));
  t.notOk(isSingle('200 : 200'));
});
