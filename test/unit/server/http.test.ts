import t from 'tap';
import { jsonResponse, splitUrl } from '../../../src/server/http.js';

t.test('a URL splits at the first ?', async (t) => {
  t.same(splitUrl('/status'), { path: '/status', query: '' });
  t.same(splitUrl('/debug/block?ms=5'), { path: '/debug/block', query: 'ms=5' });
  t.same(splitUrl('/a?b?c'), { path: '/a', query: 'b?c' });
  t.same(splitUrl('/?'), { path: '/', query: '' });
});

t.test('a JSON response is one line (or indented), typed and not sniffable', async (t) => {
  const r = jsonResponse(404, { error: 'not found' });
  t.equal(r.status, 404);
  t.equal(r.body, '{"error":"not found"}\n');
  t.match(r.headers, {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
  });
  t.equal(jsonResponse(200, { a: 1 }, 2).body, '{\n  "a": 1\n}\n');
  r.headers!['x-extra'] = 'y';
  t.notOk('x-extra' in jsonResponse(200, {}).headers!, 'each response has its own headers');
});
