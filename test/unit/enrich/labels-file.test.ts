import t from 'tap';
import { parseLabelsFile, unquoteGo } from '../../../src/enrich/labels-file.js';

t.test('the downward API format: key="value" lines, sorted, no final newline', async (t) => {
  const text =
    'app="web"\napp.kubernetes.io/name="shop"\npod-template-hash="7d9f5c6b8"\ntier="frontend"';
  const { labels, skipped } = parseLabelsFile(text);
  t.same(Object.fromEntries(labels), {
    app: 'web',
    'app.kubernetes.io/name': 'shop',
    'pod-template-hash': '7d9f5c6b8',
    tier: 'frontend',
  });
  t.equal(skipped, 0);
});

t.test("Go's %q escapes in values", async (t) => {
  t.equal(unquoteGo('"plain"'), 'plain');
  t.equal(unquoteGo('""'), '');
  t.equal(unquoteGo('"say \\"hi\\""'), 'say "hi"');
  t.equal(unquoteGo('"back\\\\slash"'), 'back\\slash');
  t.equal(unquoteGo('"two\\nlines\\ttab\\r"'), 'two\nlines\ttab\r');
  t.equal(unquoteGo('"bell\\a\\b\\f\\v"'), 'bell\x07\x08\x0c\x0b');
  t.equal(unquoteGo('"caf\\u00e9 \\U0001F600"'), 'café 😀');
  t.equal(unquoteGo('"caf\\xc3\\xa9"'), 'café', '\\x bytes are UTF-8 together');
  t.equal(unquoteGo('"\\303\\251"'), 'é', 'octal bytes');
  t.equal(unquoteGo('"unicode kept: ünï 日本"'), 'unicode kept: ünï 日本');
});

t.test('what is not a quoted value is refused', async (t) => {
  for (const bad of [
    'plain',
    '"open',
    'open"',
    '"a"b"',
    '"bad \\q escape"',
    '"\\x4"',
    '"\\u12"',
    '"ends with \\"',
    '"\\400"',
    '"\\ud800"',
  ]) {
    t.equal(unquoteGo(bad), undefined, bad);
  }
});

t.test('bad lines are skipped and counted; CRLF and blank lines are fine', async (t) => {
  const { labels, skipped } = parseLabelsFile(
    'a="1"\r\n\nnot a label\n="no key"\nb=unquoted\nc="3"\n',
  );
  t.same(Object.fromEntries(labels), { a: '1', c: '3' });
  t.equal(skipped, 3);
});

t.test('a value holding "=" and spaces', async (t) => {
  const { labels } = parseLabelsFile('query="a=b c=d"\n');
  t.equal(labels.get('query'), 'a=b c=d');
});
