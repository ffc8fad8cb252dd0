import t from 'tap';
import {
  protocolVersion,
  splitRequestLine,
  splitTarget,
} from '../../../../src/parse/nginx/request-line.js';
import type { RequestLine, TargetParts } from '../../../../src/parse/nginx/request-line.js';

function split(s: string): RequestLine | undefined {
  const out: RequestLine = { method: '', target: '', version: '' };
  return splitRequestLine(s, out) ? out : undefined;
}

t.test('request lines', async (t) => {
  t.same(split('GET /a?b HTTP/1.1'), { method: 'GET', target: '/a?b', version: '1.1' });
  t.same(split('PRI * HTTP/2.0'), { method: 'PRI', target: '*', version: '2.0' });
  t.same(split('GET /'), { method: 'GET', target: '/', version: '' });
  t.same(split('M-SEARCH * HTTP/1.1'), { method: 'M-SEARCH', target: '*', version: '1.1' });
  t.same(split('GET /a b HTTP/1.0'), { method: 'GET', target: '/a b', version: '1.0' });
  t.same(split('GET /a b'), { method: 'GET', target: '/a b', version: '' });
});

t.test('several spaces between method, target and protocol, as nginx accepts them', async (t) => {
  t.same(split('GET   /a?b HTTP/1.1'), { method: 'GET', target: '/a?b', version: '1.1' });
  t.same(split('GET /a?b    HTTP/1.0'), { method: 'GET', target: '/a?b', version: '1.0' });
  t.same(split('POST  /x   HTTP/1.1'), { method: 'POST', target: '/x', version: '1.1' });
  t.same(split('GET  /a b  HTTP/1.1'), { method: 'GET', target: '/a b', version: '1.1' });
  t.same(split('GET   /'), { method: 'GET', target: '/', version: '' });
  t.same(split('GET  HTTP/1.1'), { method: 'GET', target: 'HTTP/1.1', version: '' });
  t.same(split('GET /p HTTP/1.1  '), { method: 'GET', target: '/p', version: '1.1' });
  t.same(split('GET  /p  HTTP/1.1 '), { method: 'GET', target: '/p', version: '1.1' });
  t.same(split('GET /p '), { method: 'GET', target: '/p', version: '' });
  t.equal(split('GET    '), undefined, 'only spaces after the method');
});

t.test('not request lines', async (t) => {
  for (const s of [
    '',
    '-',
    'GET',
    'GET ',
    ' / HTTP/1.1',
    '\u0016\u0003\u0001 x',
    'G\u00c9T / HTTP/1.1',
    'A'.repeat(40) + ' /',
  ]) {
    t.equal(split(s), undefined, JSON.stringify(s));
  }
});

t.test('targets', async (t) => {
  const out: TargetParts = { path: undefined, query: undefined };
  const parts = (s: string) => (splitTarget(s, out), { ...out });
  t.same(parts('/a/b?x=1&y'), { path: '/a/b', query: 'x=1&y' });
  t.same(parts('/a?'), { path: '/a', query: undefined });
  t.same(parts('/a?b?c'), { path: '/a', query: 'b?c' });
  t.same(parts('?q'), { path: undefined, query: 'q' });
  t.same(parts('https://h:8443/p?q'), { path: '/p', query: 'q' });
  t.same(parts('http://h'), { path: undefined, query: undefined });
  t.same(parts('*'), { path: '*', query: undefined });
});

t.test('protocol versions', async (t) => {
  t.equal(protocolVersion('HTTP/1.1'), '1.1');
  t.equal(protocolVersion('HTTP/2.0'), '2.0');
  t.equal(protocolVersion('HTTP/'), 'HTTP/');
  t.equal(protocolVersion('SPDY'), 'SPDY');
});
