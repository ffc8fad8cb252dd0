import t from 'tap';
import { createParser } from '../../../../src/parse/index.js';
import { decodeLine } from '../../../../src/parse/decode-line.js';

const combined = createParser({ format: 'combined' });
const main = createParser({ format: 'main' });

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0';
function line(addr: string, user: string, request: string, status = '200', bytes = '612') {
  return `${addr} - ${user} [10/Oct/2000:13:55:36 -0700] "${request}" ${status} ${bytes} "https://example.com/from" "${UA}"`;
}

t.test('combined: every field of a typical line', async (t) => {
  const l = line('192.0.2.10', 'frank', 'GET /search?q=nginx&page=2 HTTP/1.1');
  t.same(combined.parse(l), {
    '@timestamp': '2000-10-10T20:55:36.000Z',
    source: { address: '192.0.2.10', ip: '192.0.2.10' },
    user: { name: 'frank' },
    http: {
      request: { method: 'GET', referrer: 'https://example.com/from' },
      version: '1.1',
      response: { status_code: 200, body: { bytes: 612 } },
    },
    url: { original: '/search?q=nginx&page=2', path: '/search', query: 'q=nginx&page=2' },
    user_agent: { original: UA },
    event: { original: l, dataset: 'nginx.access' },
  });
});

t.test('combined: IPv6 client keeps source.ip', async (t) => {
  for (const addr of ['2001:db8::1', '::1', '::ffff:192.0.2.1', 'fe80:0:0:0:200:f8ff:fe21:67cf']) {
    const ev = combined.parse(line(addr, '-', 'GET / HTTP/1.1'));
    t.same(ev.source, { address: addr, ip: addr }, addr);
  }
});

t.test('combined: a remote_addr that is not an IP has only source.address', async (t) => {
  const ev = combined.parse(line('unix:', '-', 'GET / HTTP/1.1'));
  t.same(ev.source, { address: 'unix:' });
  t.notOk(ev.tags);
});

t.test("combined: '-' everywhere gives absent keys, not '-'", async (t) => {
  const l = '- - - [10/Oct/2000:13:55:36 +0000] "-" - - "-" "-"';
  const ev = combined.parse(l);
  t.same(ev, {
    '@timestamp': '2000-10-10T13:55:36.000Z',
    event: { original: l, dataset: 'nginx.access' },
  });
});

t.test('combined: escaped quotes and UTF-8 inside quoted fields are decoded once', async (t) => {
  const l =
    '10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a\\x22b?c=\\xC3\\xA9 HTTP/1.1" 200 5 ' +
    '"https://x/\\x22q\\x22" "Agent \\x22quoted\\x22 \\x5Cx41"';
  const ev = combined.parse(l);
  t.notOk(ev.tags);
  t.same(ev.url, { original: '/a"b?c=é', path: '/a"b', query: 'c=é' });
  t.equal((ev.http as { request: { referrer: string } }).request.referrer, 'https://x/"q"');
  // \x5C is nginx's escaped backslash: decoded once, the following "x41" stays text.
  t.same(ev.user_agent, { original: 'Agent "quoted" \\x41' });
  t.equal(ev.event.original, l);
});

t.test('combined: HTTP/2.0 and a request without protocol', async (t) => {
  const h2 = combined.parse(line('10.0.0.1', '-', 'GET /h2 HTTP/2.0'));
  t.equal((h2.http as { version: string }).version, '2.0');
  const h09 = combined.parse(line('10.0.0.1', '-', 'GET /'));
  t.notOk(h09.tags);
  t.same(h09.url, { original: '/', path: '/' });
  t.same((h09.http as { request: unknown }).request, {
    method: 'GET',
    referrer: 'https://example.com/from',
  });
  t.notOk((h09.http as { version?: string }).version);
});

t.test('combined: empty request (client closed before sending) is not a failure', async (t) => {
  const l = '10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "" 400 0 "-" "-"';
  const ev = combined.parse(l);
  t.notOk(ev.tags);
  t.notOk(ev.url);
  t.same(ev.http, { response: { status_code: 400, body: { bytes: 0 } } });
});

t.test('combined: a TLS handshake on a plain port keeps the bytes, no failure', async (t) => {
  const raw = '\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03';
  const l = `10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "${raw}" 400 157 "-" "-"`;
  const ev = combined.parse(l);
  t.notOk(ev.tags);
  t.notOk(ev.url);
  const access = (ev.nginx as { access: { request: string } }).access;
  // Valid bytes become their characters; 0xA5 alone is not UTF-8 and stays as text.
  t.equal(access.request, '\u0016\u0003\u0001\u0000\\xA5\u0001\u0000\u0000\\xA1\u0003\u0003');
  t.equal((ev.http as { response: { status_code: number } }).response.status_code, 400);
});

t.test('combined: garbage text request keeps the text under nginx.access.request', async (t) => {
  const ev = combined.parse(line('10.0.0.1', '-', '<script>alert(1)</script>', '400', '0'));
  t.notOk(ev.tags);
  t.same(ev.nginx, { access: { request: '<script>alert(1)</script>' } });
});

t.test('combined: lines that do not fit are tagged, never dropped', async (t) => {
  const bad = [
    '',
    'hello world',
    '10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 612 "-"',
    '10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" abc 612 "-" "-"',
    '10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 -5 "-" "-"',
    '10.0.0.1 - - [32/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 612 "-" "-"',
    '10.0.0.1 - - [10/Foo/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 612 "-" "-"',
    '10.0.0.1 - - [10/Oct/2000:13:55:36] "GET / HTTP/1.1" 200 612 "-" "-"',
    '2024/01/02 03:04:05 [error] 1#1: *1 oops',
    '{"status":200}',
  ];
  for (const l of bad) {
    t.same(
      combined.parse(l),
      { event: { original: l, dataset: 'nginx.access' }, tags: ['_parse_failure'] },
      JSON.stringify(l),
    );
  }
});

t.test('main: combined plus X-Forwarded-For as remote_ip_list', async (t) => {
  const base = line('10.0.0.1', '-', 'GET / HTTP/1.1');
  const ev = main.parse(`${base} "203.0.113.7, 198.51.100.2, 10.0.0.1"`);
  t.same(ev.nginx, { access: { remote_ip_list: ['203.0.113.7', '198.51.100.2', '10.0.0.1'] } });
  t.same(ev.user_agent, { original: UA });
  const none = main.parse(`${base} "-"`);
  t.notOk(none.nginx);
  t.notOk(none.tags);
  t.same(main.parse(base).tags, ['_parse_failure'], 'combined line does not fit main');
});

t.test('a very long line (1 MiB URL) parses in one pass', async (t) => {
  const path = '/' + 'a'.repeat(1024 * 1024);
  const l = line('10.0.0.1', '-', `GET ${path}?x=1 HTTP/1.1`);
  const ev = combined.parse(l);
  t.notOk(ev.tags);
  t.equal((ev.url as { path: string }).path.length, path.length);
  t.equal((ev.url as { query: string }).query, 'x=1');
  const junk = 'x'.repeat(1024 * 1024);
  t.same(combined.parse(junk).tags, ['_parse_failure']);
});

t.test('invalid UTF-8 from the file is kept losslessly through the parser', async (t) => {
  const buf = Buffer.concat([
    Buffer.from('10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /caf'),
    Buffer.from([0xe9]),
    Buffer.from(' HTTP/1.1" 200 1 "-" "ua'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"'),
  ]);
  const decoded = decodeLine(buf);
  t.equal(decoded.invalidUtf8, true);
  const ev = combined.parse(decoded.text);
  t.notOk(ev.tags);
  t.equal((ev.url as { path: string }).path, '/caf\\xE9');
  t.same(ev.user_agent, { original: 'ua\\xFF\\xFE' });
  t.equal(ev.event.original, decoded.text);
});

t.test('one parser keeps timestamps right across changing seconds and zones', async (t) => {
  const p = createParser({ format: 'combined' });
  const zones = ['+0000', '-0700', '+0530', '-0700'];
  const want = [
    '2000-10-10T13:55:36.000Z',
    '2000-10-10T20:55:36.000Z',
    '2000-10-10T08:25:36.000Z',
    '2000-10-10T20:55:36.000Z',
  ];
  zones.forEach((z, i) => {
    const l = `1.2.3.4 - - [10/Oct/2000:13:55:36 ${z}] "GET / HTTP/1.1" 200 1 "-" "-"`;
    t.equal(p.parse(l)['@timestamp'], want[i], z);
  });
});
