import t from 'tap';
import { unescapeNginx } from '../../../../src/parse/nginx/unescape.js';

t.test('text without escapes comes back unchanged', async (t) => {
  for (const s of ['', 'plain', 'back\\slash', 'x\\', '\\x', '\\x4', '\\xZZ', 'é']) {
    t.equal(unescapeNginx(s), s, s);
  }
});

t.test('escapes are decoded into bytes, then UTF-8', async (t) => {
  t.equal(unescapeNginx('\\x22quoted\\x22'), '"quoted"');
  t.equal(unescapeNginx('caf\\xC3\\xA9'), 'café');
  t.equal(unescapeNginx('caf\\xc3\\xa9'), 'café', 'lower-case hex');
  t.equal(unescapeNginx('\\xE2\\x82\\xAC5'), '€5');
  t.equal(unescapeNginx('a\\x5Cx22b'), 'a\\x22b', 'an escaped backslash is decoded once only');
  t.equal(unescapeNginx('\\x16\\x03\\x01'), '\u0016\u0003\u0001');
  t.equal(unescapeNginx('\\x00'), '\u0000');
});

t.test('bytes that are not UTF-8 stay as \\xHH text (upper-case)', async (t) => {
  t.equal(unescapeNginx('x\\xa5y'), 'x\\xA5y');
  t.equal(unescapeNginx('\\xC3'), '\\xC3');
  t.equal(unescapeNginx('\\xC3\\x28'), '\\xC3(');
  t.equal(unescapeNginx('\\xF0\\x9F\\x98\\x80\\xFF'), '😀\\xFF');
});

t.test('a long run of escapes (bigger than the scratch buffer)', async (t) => {
  const s = '\\xE2\\x82\\xAC'.repeat(5000);
  t.equal(unescapeNginx(s), '€'.repeat(5000));
  t.equal(unescapeNginx('\\x41'.repeat(300000)), 'A'.repeat(300000));
});
