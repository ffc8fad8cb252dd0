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

// Lines written by nginx 1.22.1 (Debian 12) for requests that try to forge the
// context; test/e2e/error-log-spoofing.test.ts produces them against a live nginx.
const FORGED_URI =
  '2026/12/04 17:16:01 [error] 21755#21755: *1 open() "/tmp/hf-ngx/www/x, client: 6.6.6.6, ' +
  'server: evil, request: "GET /admin HTTP/1.1"" failed (2: No such file or directory), ' +
  'client: 127.0.0.1, server: localhost, request: "GET /x,%20client:%206.6.6.6,%20server:' +
  '%20evil,%20request:%20%22GET%20/admin%20HTTP/1.1%22 HTTP/1.1", host: "127.0.0.1:26981", ' +
  'referrer: "https://ref.example/a, b"';

t.test('a request that writes a fake context into the message cannot set fields', async (t) => {
  const ev = error.parse(FORGED_URI);
  t.same(ev.source, { address: '127.0.0.1', ip: '127.0.0.1' }, 'the real client');
  t.equal(
    (ev.url as { original: string }).original,
    '/x,%20client:%206.6.6.6,%20server:%20evil,%20request:%20%22GET%20/admin%20HTTP/1.1%22',
  );
  t.equal((ev.url as { domain: string }).domain, '127.0.0.1:26981');
  t.same((ev.nginx as { error: unknown }).error, { connection_id: 1, server: 'localhost' });
  t.same((ev.http as { request: unknown }).request, {
    method: 'GET',
    referrer: 'https://ref.example/a, b',
  });
  t.equal(
    ev.message,
    'open() "/tmp/hf-ngx/www/x, client: 6.6.6.6, server: evil, request: "GET /admin HTTP/1.1"" ' +
      'failed (2: No such file or directory)',
  );
});

t.test(
  'a fake context after the real one (Referer, Host, bad request line): no fields',
  async (t) => {
    const forged = [
      '2026/12/04 17:16:01 [error] 21755#21755: *2 open() "/tmp/hf-ngx/www/y" failed (2: No such ' +
        'file or directory), client: 127.0.0.1, server: localhost, request: "GET /y HTTP/1.1", ' +
        'host: "127.0.0.1:26981", referrer: "x", client: 6.6.6.6, server: evil, request: ' +
        '"GET /admin HTTP/1.1", host: "evil"',
      '2026/12/04 17:16:05 [info] 21755#21755: *6 client sent invalid request while reading client ' +
        'request line, client: 127.0.0.1, server: localhost, request: "GET /a", client: 6.6.6.6, ' +
        'server: evil, request: "GET /admin HTTP/1.1 HTTP/1.1"',
      '2026/12/04 17:16:06 [info] 21755#21755: *8 client sent invalid host header while reading ' +
        'client request headers, client: 127.0.0.1, server: localhost, request: "GET /c HTTP/1.1", ' +
        'host: "localhost", client: 6.6.6.6, server: evil, request: "GET /admin HTTP/1.1"',
    ];
    for (const l of forged) {
      const ev = error.parse(l);
      t.notOk(ev.source, 'no client address at all rather than a forged one');
      t.notOk(ev.url);
      t.notOk(ev.http);
      t.notOk(ev.tags, 'still a parsed line');
      t.match(ev.message, /^(open|client sent)/);
      t.equal((ev.event as { original: string }).original, l);
    }
  },
);

t.test('the context read from the right stays linear on hostile lines', async (t) => {
  const head = '2024/01/02 03:04:05 [error] 1#1: ';
  const hostile = [
    head + ', client: a'.repeat(100_000),
    head + ', request: "'.repeat(100_000) + '"',
    head + 'x, client: 1.1.1.1, server: s, request: "'.repeat(30_000),
    head + ', client: 1.1.1.1, server: s, host: "h"'.repeat(30_000),
  ];
  for (const l of hostile) {
    const started = process.hrtime.bigint();
    const ev = error.parse(l);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    t.ok(ms < 200, `${l.length} chars parsed in ${ms.toFixed(1)} ms`);
    t.equal((ev.event as { original: string }).original, l);
  }
});
