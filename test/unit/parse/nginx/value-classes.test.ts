import t from 'tap';
import { NON_ASCII, TEXT, overlap, valueClass } from '../../../../src/parse/nginx/value-classes.js';

const has = (set: Uint8Array, ch: string) => set[ch.charCodeAt(0)] === 1;

t.test('a host never contains "/" and a request URI always starts with it', async (t) => {
  const host = valueClass('host');
  const uri = valueClass('request_uri');
  t.notOk(has(host.chars, '/'));
  t.notOk(has(host.chars, ' '));
  t.ok(has(host.chars, '['), 'IPv6 literal');
  t.ok(has(host.chars, '\\'), 'escaped bytes (\\xHH)');
  t.equal(host.chars[NON_ASCII], 1, 'raw bytes under escape=none');
  t.same(
    [...uri.first].flatMap((v, c) => (v === 1 ? [c] : [])),
    [0x2f],
  );
  t.equal(overlap(host, uri), -1);
});

t.test('numbers, seconds and fixed-width values', async (t) => {
  t.equal(overlap(valueClass('status'), valueClass('scheme')), -1);
  t.equal(overlap(valueClass('status'), valueClass('body_bytes_sent')), 0x30);
  t.equal(overlap(valueClass('request_time'), valueClass('host')), 0x2e, '"." first');
  t.equal(valueClass('time_local').width, 26);
  t.equal(valueClass('time_iso8601').width, 25);
  t.equal(valueClass('request_id').width, 32);
  t.equal(valueClass('status').width, 0);
});

t.test('a value that may be "-" may start with "-"', async (t) => {
  t.ok(has(valueClass('server_protocol').first, '-'));
  t.ok(has(valueClass('http_referer').first, '-'));
  t.equal(overlap(valueClass('request_method'), valueClass('server_protocol')), 0x2d);
});

t.test('unknown variables are text: they overlap with everything', async (t) => {
  t.equal(valueClass('ssl_cipher'), TEXT);
  t.equal(valueClass('__proto__'), TEXT);
  t.equal(overlap(TEXT, valueClass('request_uri')), 0x2f);
  t.equal(overlap(valueClass('scheme'), TEXT), 0x61);
});
