import t from 'tap';
import { createParser } from '../../../../src/parse/index.js';

const error = createParser({ format: 'error' });

t.test('a full error line with the context nginx appends', async (t) => {
  const l =
    '2024/01/02 03:04:05 [error] 123#456: *789 open() "/usr/share/nginx/html/x.png" failed ' +
    '(2: No such file or directory), client: 192.0.2.33, server: example.com, ' +
    'request: "GET /x.png?v=2 HTTP/1.1", host: "www.example.com", referrer: "https://www.example.com/"';
  t.same(error.parse(l), {
    '@timestamp': '2024-01-02T03:04:05.000Z',
    log: { level: 'error' },
    message: 'open() "/usr/share/nginx/html/x.png" failed (2: No such file or directory)',
    process: { pid: 123, thread: { id: 456 } },
    source: { address: '192.0.2.33', ip: '192.0.2.33' },
    http: { request: { method: 'GET', referrer: 'https://www.example.com/' }, version: '1.1' },
    url: { original: '/x.png?v=2', path: '/x.png', query: 'v=2', domain: 'www.example.com' },
    nginx: { error: { connection_id: 789, server: 'example.com' } },
    event: { original: l, dataset: 'nginx.error' },
  });
});

t.test('levels and lines without any context', async (t) => {
  for (const level of ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg']) {
    const l = `2024/01/02 03:04:05 [${level}] 1#1: signal process started`;
    t.same(
      error.parse(l),
      {
        '@timestamp': '2024-01-02T03:04:05.000Z',
        log: { level },
        message: 'signal process started',
        process: { pid: 1, thread: { id: 1 } },
        event: { original: l, dataset: 'nginx.error' },
      },
      level,
    );
  }
});

t.test('upstream errors: server without host, upstream and IPv6 client', async (t) => {
  const l =
    '2024/06/30 23:59:59 [error] 31#31: *1204 connect() failed (111: Connection refused) while ' +
    'connecting to upstream, client: 2001:db8::5, server: api.local, request: "POST /v1 HTTP/2.0", ' +
    'upstream: "http://10.0.0.9:8080/v1"';
  const ev = error.parse(l);
  t.same(ev.source, { address: '2001:db8::5', ip: '2001:db8::5' });
  t.same(ev.url, { original: '/v1', path: '/v1', domain: 'api.local' });
  t.same(ev.http, { request: { method: 'POST' }, version: '2.0' });
  t.same(ev.nginx, { error: { connection_id: 1204, upstream: 'http://10.0.0.9:8080/v1' } });
  t.equal(ev.message, 'connect() failed (111: Connection refused) while connecting to upstream');
});

t.test('client only, and a garbage request kept under nginx.error.request', async (t) => {
  const a = error.parse(
    '2024/01/02 03:04:05 [info] 7#7: *3 client closed connection, client: 10.0.0.1',
  );
  t.same(a.source, { address: '10.0.0.1', ip: '10.0.0.1' });
  t.equal(a.message, 'client closed connection');
  const b = error.parse(
    '2024/01/02 03:04:05 [info] 7#7: *4 client sent invalid method, client: 10.0.0.1, ' +
      'server: _, request: "\x16\x03\x01"',
  );
  t.same(b.nginx, { error: { connection_id: 4, request: '\x16\x03\x01' } });
  t.same(b.url, { domain: '_' });
});

t.test('", client: " inside the message or the request does not confuse the context', async (t) => {
  const l =
    '2024/01/02 03:04:05 [error] 1#1: *5 open() "/srv/a, client: b" failed, client: 10.0.0.2, ' +
    'server: s, request: "GET /a, client: b HTTP/1.1", host: "h"';
  const ev = error.parse(l);
  t.equal(ev.message, 'open() "/srv/a, client: b" failed');
  t.same(ev.source, { address: '10.0.0.2', ip: '10.0.0.2' });
  t.same(ev.url, { original: '/a, client: b', path: '/a, client: b', domain: 'h' });
});

t.test('a quote inside a quoted context value', async (t) => {
  const ev = error.parse(
    '2024/01/02 03:04:05 [warn] 1#1: *6 x, client: 1.1.1.1, server: s, request: "GET /"q" HTTP/1.1", host: "h"',
  );
  t.same(ev.url, { original: '/"q"', path: '/"q"', domain: 'h' });
});

t.test('timezone option shifts error-log times to UTC', async (t) => {
  const p = createParser({ format: 'error', timezone: '+02:00' });
  t.equal(p.parse('2024/01/01 01:30:00 [error] 1#1: x')['@timestamp'], '2023-12-31T23:30:00.000Z');
  const q = createParser({ format: 'error', timezone: '-0530' });
  t.equal(q.parse('2024/01/01 01:30:00 [error] 1#1: x')['@timestamp'], '2024-01-01T07:00:00.000Z');
});

t.test('lines that are not error-log lines are parse failures', async (t) => {
  const bad = [
    '',
    'nginx: [emerg] unknown directive "foo"',
    '2024/01/02 03:04:05 [ERROR] 1#1: upper-case level',
    '2024/01/02 03:04:05 [error] x#1: bad pid',
    '2024/01/02 03:04:05 [error] 1#1 missing colon',
    '2024/13/02 03:04:05 [error] 1#1: bad month',
    '2024/01/02 03:04:05 error 1#1: no brackets',
    '2024/01/02 03:04:05 [error] 1#1: *x bad connection',
    '10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
  ];
  for (const l of bad) {
    t.same(
      error.parse(l),
      { event: { original: l, dataset: 'nginx.error' }, tags: ['_parse_failure'] },
      l,
    );
  }
});

t.test('many ", client: " occurrences stay bounded and keep the whole message', async (t) => {
  const l = '2024/01/02 03:04:05 [error] 1#1: ' + 'x, client: a b'.repeat(50000);
  const ev = error.parse(l);
  t.notOk(ev.tags);
  t.equal(ev.message, 'x, client: a b'.repeat(50000));
  t.notOk(ev.source);
});
