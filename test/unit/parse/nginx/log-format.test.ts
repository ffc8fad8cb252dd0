import t from 'tap';
import { LogpodError } from '../../../../src/errors.js';
import {
  COMBINED_FORMAT,
  compileLogFormat,
  joinQuotedPieces,
} from '../../../../src/parse/nginx/log-format.js';
import { createParser } from '../../../../src/parse/index.js';
import { SCAN_CLASS, SCAN_FIXED, SCAN_TEXT } from '../../../../src/parse/nginx/variables.js';

function refuses(t: { ok: (v: unknown, m: string) => void }, format: string, pattern: RegExp) {
  let err: unknown;
  try {
    createParser({ format: 'custom', logFormat: format });
  } catch (e) {
    err = e;
  }
  const ok =
    err instanceof LogpodError && err.code === 'LOG_FORMAT_INVALID' && pattern.test(err.message);
  t.ok(ok, `${JSON.stringify(format)}: ${String(err)}`);
}

t.test('compiles combined into literal/variable segments', async (t) => {
  const f = compileLogFormat(COMBINED_FORMAT);
  t.equal(f.prefix, '');
  t.equal(f.suffix, '"');
  t.same(
    f.segments.map((s) => [s.name, s.literal]),
    [
      ['remote_addr', ' - '],
      ['remote_user', ' ['],
      ['time_local', '] "'],
      ['request', '" '],
      ['status', ' '],
      ['body_bytes_sent', ' "'],
      ['http_referer', '" "'],
      ['http_user_agent', ''],
    ],
  );
  t.same(f.extras, []);
});

t.test('refuses adjacent variables whose boundary is uncertain, naming both and why', async (t) => {
  refuses(t, '$remote_addr$remote_user', /\$remote_addr and \$remote_user are adjacent/);
  refuses(
    t,
    '$status ${body_bytes_sent}${request_time}',
    /\$body_bytes_sent and \$request_time are adjacent .* may contain "0", which a value of \$request_time \(seconds with a fraction\) may start with/,
  );
  refuses(t, '$request_time$host', /\$request_time \(seconds with a fraction\) may contain "\."/);
  refuses(t, '$host$scheme', /\$host and \$scheme .* for example a space: "\$host \$scheme"/);
  refuses(t, '$uri$args', /\$uri and \$args/);
  refuses(t, '$request$status', /\$request and \$status/);
  refuses(t, '$ssl_protocol$status', /\$ssl_protocol \(text\) may contain/);
  refuses(t, '$remote_addr $request_uri$server_protocol', /\$request_uri and \$server_protocol/);
});

t.test('splits adjacent variables where the value classes make the boundary certain', async (t) => {
  const scans = (format: string) =>
    compileLogFormat(format).segments.map((s) => [s.name, s.scan, s.literal]);
  t.same(scans('$scheme://$host$request_uri $status'), [
    ['scheme', SCAN_TEXT, '://'],
    ['host', SCAN_CLASS, ''],
    ['request_uri', SCAN_TEXT, ' '],
    ['status', SCAN_TEXT, ''],
  ]);
  t.same(scans('$time_local$status$scheme'), [
    ['time_local', SCAN_FIXED, ''],
    ['status', SCAN_CLASS, ''],
    ['scheme', SCAN_TEXT, ''],
  ]);
  t.same(scans('$request_id$http_user_agent'), [
    ['request_id', SCAN_FIXED, ''],
    ['http_user_agent', SCAN_TEXT, ''],
  ]);
  t.same(scans('$msec$request_method$request_uri'), [
    ['msec', SCAN_CLASS, ''],
    ['request_method', SCAN_CLASS, ''],
    ['request_uri', SCAN_TEXT, ''],
  ]);
  t.same(scans('$remote_addr$request_uri')[0], ['remote_addr', SCAN_CLASS, '']);
});

t.test('$scheme://$host$request_uri reads scheme, domain and target', async (t) => {
  const p = createParser({
    format: 'custom',
    logFormat: '$remote_addr $scheme://$host$request_uri $status',
  });
  const ev = p.parse('10.1.2.3 https://shop.example.com/a/b.html?x=1&y=/z 200');
  t.notOk(ev.tags);
  t.same(ev.url, {
    original: '/a/b.html?x=1&y=/z',
    path: '/a/b.html',
    query: 'x=1&y=/z',
    scheme: 'https',
    domain: 'shop.example.com',
  });
  const ipv6 = p.parse('10.1.2.3 http://[::1]/ 200');
  t.same(ipv6.url, { original: '/', path: '/', scheme: 'http', domain: '[::1]' });
  // $request_uri is '-' only for a request line nginx could not parse (a 400).
  const unparsed = p.parse('10.1.2.3 http://- 400');
  t.notOk(unparsed.tags);
  t.same(unparsed.url, { scheme: 'http' }, 'neither host nor URI');
});

t.test('fixed-shape values followed by an adjacent variable', async (t) => {
  const p = createParser({
    format: 'custom',
    logFormat: '[$time_local]$status$scheme $body_bytes_sent$request_method $request_id$host',
  });
  const ev = p.parse(
    '[10/Oct/2000:13:55:36 -0700]404https 512GET 0123456789abcdef0123456789abcdefexample.org',
  );
  t.notOk(ev.tags);
  t.equal(ev['@timestamp'], '2000-10-10T20:55:36.000Z');
  t.same(ev.http, {
    request: { method: 'GET' },
    response: { status_code: 404, body: { bytes: 512 } },
  });
  t.same(ev.url, { scheme: 'https', domain: 'example.org' });
  t.same((ev.nginx as { access: unknown }).access, {
    request_id: '0123456789abcdef0123456789abcdef',
  });
  t.same(p.parse('[10/Oct/2000:13:55:36 -0700]404https 512GET 0123').tags, ['_parse_failure']);
});

t.test('a class scan ends at the first character outside the class', async (t) => {
  const p = createParser({ format: 'custom', logFormat: '$status$scheme' });
  t.same(p.parse('200http').http, { response: { status_code: 200 } });
  t.same(p.parse('200http').url, { scheme: 'http' });
});

t.test('refuses other broken formats with a message naming the problem', async (t) => {
  refuses(t, '', /needs a non-empty logFormat/);
  refuses(t, '   ', /needs a non-empty logFormat/);
  t.throws(() => compileLogFormat(' '), /log_format is empty/);
  refuses(t, 'just text', /no variables/);
  refuses(t, '$remote_addr $', /not followed by a variable name/);
  refuses(t, '$remote_addr ${status', /no closing/);
  refuses(t, '$remote_addr ${st atus}', /invalid variable name/);
});

t.test('brace form ${var} reads like $var and allows text right after', async (t) => {
  const p = createParser({ format: 'custom', logFormat: '${status}ms ${remote_addr}' });
  const ev = p.parse('404ms 10.1.2.3');
  t.same(ev.http, { response: { status_code: 404 } });
  t.same(ev.source, { address: '10.1.2.3', ip: '10.1.2.3' });
});

t.test('prefix and suffix literals must match exactly', async (t) => {
  const p = createParser({ format: 'custom', logFormat: 'access: $status;' });
  t.same(p.parse('access: 200;').http, { response: { status_code: 200 } });
  t.same(p.parse('access: 200').tags, ['_parse_failure']);
  t.same(p.parse('acces: 200;').tags, ['_parse_failure']);
});

t.test('nginx.conf quoted pieces are joined', async (t) => {
  const conf = `'$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent"';`;
  t.equal(joinQuotedPieces(conf), COMBINED_FORMAT);
  t.equal(joinQuotedPieces(`'a \\'b\\' \\t' "c"`), "a 'b' \tc");
  t.equal(joinQuotedPieces('$status "x"'), '$status "x"', 'plain format left alone');
  t.equal(joinQuotedPieces(`'$status' oops`), `'$status' oops`, 'not only pieces: left alone');
  const p = createParser({ format: 'custom', logFormat: conf });
  const l = '1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "curl"';
  t.notOk(p.parse(l).tags);
});

t.test('unknown variables are kept under nginx.access.<name>, even odd names', async (t) => {
  const p = createParser({
    format: 'custom',
    logFormat: '$status $http_x_trace "$ssl_protocol" $__proto__ $http_x_trace',
  });
  const ev = p.parse('200 abc123 "TLSv1.3" x def456');
  const access = (ev.nginx as { access: Record<string, unknown> }).access;
  t.equal(access.http_x_trace, 'def456', 'the later occurrence wins');
  t.equal(access.ssl_protocol, 'TLSv1.3');
  t.equal(Object.getOwnPropertyDescriptor(access, '__proto__')?.value, 'x');
  t.equal(({} as Record<string, unknown>).x, undefined, 'no prototype pollution');
  t.same(Object.keys(access), ['http_x_trace', 'ssl_protocol', '__proto__']);
});

t.test('an unquoted $time_local (contains a space) is read by its width', async (t) => {
  const p = createParser({ format: 'custom', logFormat: '$remote_addr $time_local $status' });
  const ev = p.parse('1.2.3.4 10/Oct/2000:13:55:36 -0700 200');
  t.equal(ev['@timestamp'], '2000-10-10T20:55:36.000Z');
  t.same(ev.http, { response: { status_code: 200 } });
  t.same(p.parse('1.2.3.4 10/Oct/2000:13:55:36 200').tags, ['_parse_failure']);
});

t.test('unquoted upstream lists keep their ", " and " : " separators', async (t) => {
  const p = createParser({
    format: 'custom',
    logFormat: '$upstream_addr $upstream_status $upstream_response_time $status',
  });
  const ev = p.parse(
    '10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80 502, 504 : 200 0.010, 0.020 : 0.005 200',
  );
  t.notOk(ev.tags);
  t.same((ev.nginx as { access: unknown }).access, {
    upstream: {
      address: '10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80',
      status: '502, 504 : 200',
      response_time: '0.010, 0.020 : 0.005',
    },
  });
  t.same(ev.http, { response: { status_code: 200 } });
});

t.test('a last variable with a trailing literal takes everything up to it', async (t) => {
  const p = createParser({ format: 'custom', logFormat: '$status "$http_user_agent"' });
  // An unescaped quote (escape=none) inside the last field still works.
  t.same(p.parse('200 "a "b" c"').user_agent, { original: 'a "b" c' });
});
