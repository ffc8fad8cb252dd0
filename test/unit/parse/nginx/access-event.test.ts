import t from 'tap';
import { createParser } from '../../../../src/parse/index.js';

function custom(logFormat: string) {
  return createParser({ format: 'custom', logFormat });
}

t.test('every supported variable lands on its ECS field', async (t) => {
  const p = custom(
    '$remote_addr|$remote_user|$time_iso8601|$request_method|$request_uri|$server_protocol|' +
      '$scheme|$host|$status|$body_bytes_sent|$bytes_sent|$request_length|$request_time|' +
      '$upstream_addr|$upstream_status|$upstream_response_time|$upstream_connect_time|' +
      '$http_referer|$http_user_agent|$http_x_forwarded_for|$connection|$pipe|$gzip_ratio',
  );
  const l =
    '2001:db8::7|alice|2024-03-01T12:00:00+01:00|POST|/api/v1/items?id=7&x=%20|HTTP/2.0|' +
    'https|shop.example.com|201|512|800|1234|0.250|' +
    '10.1.0.5:8080|201|0.245|0.001|' +
    'https://shop.example.com/cart|curl/8.5.0|203.0.113.9, 10.0.0.2|98765|p|2.50';
  t.same(p.parse(l), {
    '@timestamp': '2024-03-01T11:00:00.000Z',
    source: { address: '2001:db8::7', ip: '2001:db8::7' },
    user: { name: 'alice' },
    http: {
      request: { method: 'POST', bytes: 1234, referrer: 'https://shop.example.com/cart' },
      version: '2.0',
      response: { status_code: 201, body: { bytes: 512 }, bytes: 800 },
    },
    url: {
      original: '/api/v1/items?id=7&x=%20',
      path: '/api/v1/items',
      query: 'id=7&x=%20',
      scheme: 'https',
      domain: 'shop.example.com',
    },
    user_agent: { original: 'curl/8.5.0' },
    nginx: {
      access: {
        remote_ip_list: ['203.0.113.9', '10.0.0.2'],
        upstream: {
          address: '10.1.0.5:8080',
          status: '201',
          status_code: 201,
          response_time: '0.245',
          response_time_ns: 245000000,
          connect_time: '0.001',
          connect_time_ns: 1000000,
        },
        connection: 98765,
        pipe: true,
        gzip_ratio: '2.50',
      },
    },
    event: { original: l, duration: 250000000, dataset: 'nginx.access' },
  });
});

t.test('$msec gives millisecond timestamps and wins over $time_local', async (t) => {
  const p = custom('$msec [$time_local] $status');
  const ev = p.parse('1700000000.123 [14/Nov/2023:22:13:20 +0000] 200');
  t.equal(ev['@timestamp'], '2023-11-14T22:13:20.123Z');
  t.equal(
    p.parse('1700000000.007 [14/Nov/2023:22:13:20 +0000] 200')['@timestamp'],
    '2023-11-14T22:13:20.007Z',
  );
  t.equal(
    p.parse('1700000001.5 [14/Nov/2023:22:13:20 +0000] 200')['@timestamp'],
    '2023-11-14T22:13:21.500Z',
  );
  t.same(p.parse('17000x0000.123 [14/Nov/2023:22:13:20 +0000] 200').tags, ['_parse_failure']);
});

t.test('$request_time becomes event.duration in integer nanoseconds', async (t) => {
  const p = custom('$request_time $status');
  const cases: [string, number][] = [
    ['0.000', 0],
    ['0.001', 1e6],
    ['1.234', 1234000000],
    ['12', 12e9],
    ['0.5', 5e8],
  ];
  for (const [raw, ns] of cases) {
    t.equal(p.parse(`${raw} 200`).event.duration, ns, raw);
  }
  t.notOk(p.parse('- 200').event.duration);
  t.same(p.parse('1.2.3 200').tags, ['_parse_failure']);
  t.same(p.parse('abc 200').tags, ['_parse_failure']);
});

t.test('$request with $uri/$args: path from the request, $uri/$args kept aside', async (t) => {
  const p = custom('"$request" $uri $args');
  const ev = p.parse('"GET /old?a=1 HTTP/1.1" /index.php a=1&rewritten=1');
  t.same(ev.url, { original: '/old?a=1', path: '/old', query: 'a=1' });
  t.same(ev.nginx, { access: { uri: '/index.php', args: 'a=1&rewritten=1' } });
});

t.test('$request_method $uri $args alone fill http and url', async (t) => {
  const p = custom('$request_method $uri?$args $server_protocol');
  const ev = p.parse('DELETE /items/3?force=1 HTTP/1.0');
  t.same(ev.url, { path: '/items/3', query: 'force=1' });
  t.same(ev.http, { request: { method: 'DELETE' }, version: '1.0' });
  t.same(p.parse('GET /x?- HTTP/1.1').url, { path: '/x' }, "'-' args are absent");
});

t.test('$host wins url.domain; $server_name is then kept aside', async (t) => {
  const both = custom('$host $server_name').parse('www.example.com example.com');
  t.same(both.url, { domain: 'www.example.com' });
  t.same(both.nginx, { access: { server_name: 'example.com' } });
  const only = custom('$server_name $status').parse('example.com 200');
  t.same(only.url, { domain: 'example.com' });
  t.notOk(only.nginx);
  const dash = custom('$host $server_name').parse('- example.com');
  t.same(dash.url, { domain: 'example.com' });
});

t.test('upstream lists keep the raw string and give numbers only when single', async (t) => {
  const p = custom(
    '"$upstream_addr" "$upstream_status" "$upstream_response_time" "$upstream_connect_time"',
  );
  const ev = p.parse('"10.0.0.1:80, 10.0.0.2:80" "502, 200" "0.500, 0.020" "0.001, 0.002"');
  t.same((ev.nginx as { access: unknown }).access, {
    upstream: {
      address: '10.0.0.1:80, 10.0.0.2:80',
      status: '502, 200',
      response_time: '0.500, 0.020',
      connect_time: '0.001, 0.002',
    },
  });
  const redirect = p.parse('"unix:/run/app.sock : 10.0.0.2:80" "200 : 404" "0.010 : 0.002" "-"');
  t.same((redirect.nginx as { access: unknown }).access, {
    upstream: {
      address: 'unix:/run/app.sock : 10.0.0.2:80',
      status: '200 : 404',
      response_time: '0.010 : 0.002',
    },
  });
  const none = p.parse('"-" "-" "-" "-"');
  t.notOk(none.nginx);
  t.notOk(none.tags);
});

t.test('$pipe is a boolean and $connection a number', async (t) => {
  const p = custom('$connection $pipe');
  t.same(p.parse('17 .').nginx, { access: { connection: 17, pipe: false } });
  t.same(p.parse('18 p').nginx, { access: { connection: 18, pipe: true } });
  t.same(p.parse('19 x').tags, ['_parse_failure']);
  t.same(p.parse('x1 p').tags, ['_parse_failure']);
});

t.test('$time_iso8601 with and without a zone offset', async (t) => {
  const p = custom('[$time_iso8601] $status');
  t.equal(p.parse('[2024-01-02T03:04:05+00:00] 200')['@timestamp'], '2024-01-02T03:04:05.000Z');
  t.equal(p.parse('[2024-01-02T03:04:05-05:30] 200')['@timestamp'], '2024-01-02T08:34:05.000Z');
  t.same(p.parse('[2024-13-02T03:04:05+00:00] 200').tags, ['_parse_failure']);
});

t.test('numbers are numbers, and overlong or signed numbers are refused', async (t) => {
  const p = custom('$status $body_bytes_sent $bytes_sent $request_length');
  const ev = p.parse('499 0 123456789012 77');
  t.same(ev.http, {
    request: { bytes: 77 },
    response: { status_code: 499, body: { bytes: 0 }, bytes: 123456789012 },
  });
  t.same(p.parse('200 1e3 1 1').tags, ['_parse_failure']);
  t.same(p.parse('200 1 1 +1').tags, ['_parse_failure']);
  t.same(p.parse('200 1 1234567890123456 1').tags, ['_parse_failure']);
});

t.test('url.path from an absolute-form target (forward proxy requests)', async (t) => {
  const ev = custom('"$request"').parse('"GET http://example.com/a/b?c=d HTTP/1.1"');
  t.same(ev.url, { original: 'http://example.com/a/b?c=d', path: '/a/b', query: 'c=d' });
  const connect = custom('"$request"').parse('"CONNECT example.com:443 HTTP/1.1"');
  t.same(connect.url, { original: 'example.com:443', path: 'example.com:443' });
});
