import t from 'tap';
import { createParser } from '../../../../src/parse/index.js';
import { decodeLine } from '../../../../src/parse/decode-line.js';

const json = createParser({ format: 'json' });

t.test('nginx variable keys map like log_format variables', async (t) => {
  const l = JSON.stringify({
    time_iso8601: '2024-05-06T07:08:09+02:00',
    remote_addr: '198.51.100.4',
    remote_user: '',
    request: 'GET /p?q=1 HTTP/1.1',
    status: '304',
    body_bytes_sent: 0,
    request_time: 0.042,
    http_referer: '',
    http_user_agent: 'Wget/1.21',
    upstream_status: '-',
  });
  t.same(json.parse(l), {
    '@timestamp': '2024-05-06T05:08:09.000Z',
    source: { address: '198.51.100.4', ip: '198.51.100.4' },
    http: {
      request: { method: 'GET' },
      version: '1.1',
      response: { status_code: 304, body: { bytes: 0 } },
    },
    url: { original: '/p?q=1', path: '/p', query: 'q=1' },
    user_agent: { original: 'Wget/1.21' },
    event: { original: l, duration: 42000000, dataset: 'nginx.access' },
  });
});

t.test('$-prefixed keys are accepted too', async (t) => {
  const ev = json.parse('{"$status":"418","$msec":"1700000000.250"}');
  t.same(ev.http, { response: { status_code: 418 } });
  t.equal(ev['@timestamp'], '2023-11-14T22:13:20.250Z');
});

t.test('escape=json output: \\u0022 and \\\\ are read as JSON', async (t) => {
  const l =
    '{"request":"GET /a\\u0022b\\\\c HTTP/1.1","http_user_agent":"x\\"y\\u0007","status":200}';
  const ev = json.parse(l);
  t.same(ev.url, { original: '/a"b\\c', path: '/a"b\\c' });
  t.same(ev.user_agent, { original: 'x"y\u0007' });
  t.equal(ev.event.original, l);
});

t.test('a JSON-looking format written without escape=json (\\x22) still parses', async (t) => {
  const l = '{"status":"200","http_user_agent":"a \\x22quoted\\x22 agent"}';
  const ev = json.parse(l);
  t.notOk(ev.tags);
  t.same(ev.user_agent, { original: 'a "quoted" agent' });
});

t.test('invalid UTF-8 inside a JSON line is kept as \\xHH text', async (t) => {
  const buf = Buffer.concat([
    Buffer.from('{"status":200,"http_user_agent":"bad '),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('"}'),
  ]);
  const d = decodeLine(buf);
  t.equal(d.invalidUtf8, true);
  const ev = json.parse(d.text);
  t.notOk(ev.tags);
  t.same(ev.user_agent, { original: 'bad \\xC3(' });
});

t.test('ECS dotted keys are placed as is, typed where ECS says numbers', async (t) => {
  const l = JSON.stringify({
    '@timestamp': '2024-01-01T00:00:00.5Z',
    'source.address': '10.9.8.7',
    'http.response.status_code': '503',
    'url.original': '/x?y',
    'source.port': '51234',
    'event.duration': 1500,
    'service.name': 'web',
    'labels.team': 'edge',
    message: 'hello',
  });
  const ev = json.parse(l);
  t.same(ev, {
    '@timestamp': '2024-01-01T00:00:00.500Z',
    source: { address: '10.9.8.7', ip: '10.9.8.7', port: 51234 },
    http: { response: { status_code: 503 } },
    url: { original: '/x?y', path: '/x', query: 'y' },
    event: { original: l, dataset: 'nginx.access', duration: 1500 },
    service: { name: 'web' },
    labels: { team: 'edge' },
    message: 'hello',
  });
});

t.test('an ECS ip field that is not an IP literal is kept aside', async (t) => {
  const ev = json.parse('{"client.ip":"10.0.0.1","source.ip":"not-an-ip","status":200}');
  t.same(ev.client, { ip: '10.0.0.1' });
  t.notOk(ev.source);
  t.same(ev.nginx, { access: { 'source.ip': 'not-an-ip' } });
});

t.test('a JSON time without a zone uses the timezone option', async (t) => {
  const p = createParser({ format: 'json', timezone: '-03:00' });
  t.equal(
    p.parse('{"@timestamp":"2024-01-02T21:00:00"}')['@timestamp'],
    '2024-01-03T00:00:00.000Z',
  );
});

t.test('a numeric @timestamp is epoch milliseconds', async (t) => {
  t.equal(json.parse('{"@timestamp":1700000000123}')['@timestamp'], '2023-11-14T22:13:20.123Z');
});

t.test('unknown keys, reserved names and conflicts go to nginx.access.<key>', async (t) => {
  const l = JSON.stringify({
    request_id: 'abc',
    'event.original': 'forged',
    'log.offset': 1,
    geoip_country: '-',
    nested: { a: 1 },
    'foo.bar': 'x',
    status: 200,
    'http.response': 'conflict',
    __proto__x: 1,
  });
  const ev = json.parse(l);
  t.equal(ev.event.original, l, 'event.original cannot be overridden');
  t.same(ev.nginx, {
    access: {
      request_id: 'abc',
      'event.original': 'forged',
      'log.offset': 1,
      nested: { a: 1 },
      'foo.bar': 'x',
      'http.response': 'conflict',
      __proto__x: 1,
    },
  });
  t.same(ev.http, { response: { status_code: 200 } });
  t.notOk(ev.log);
});

t.test('__proto__ and constructor keys cannot pollute prototypes', async (t) => {
  const ev = json.parse(
    '{"__proto__":{"polluted":1},"constructor.prototype.polluted":1,"user.__proto__.polluted":1,"status":200}',
  );
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.equal(Object.getPrototypeOf(ev), Object.prototype);
  t.notOk(ev.tags);
  const access = (ev.nginx as { access: Record<string, unknown> }).access;
  t.same(Object.getOwnPropertyDescriptor(access, '__proto__')?.value, { polluted: 1 });
  t.equal(access['constructor.prototype.polluted'], 1);
});

t.test('broken or non-object JSON lines are parse failures', async (t) => {
  const bad = [
    '{"status":200',
    '{"status":200}}',
    '[1,2,3]',
    'null',
    '"text"',
    '',
    '   ',
    "{'status':200}",
    '{"status":"abc"}',
    '{"time_iso8601":"yesterday"}',
    '{"http.response.status_code":"2x"}',
    '{"source.port":{"a":1}}',
    '['.repeat(100000),
    '{"a":' + '['.repeat(200000) + ']'.repeat(200000) + '}',
    '{"a":' + '{"b":'.repeat(17) + '1' + '}'.repeat(17) + '}',
  ];
  for (const l of bad) {
    const ev = json.parse(l);
    t.same(
      ev,
      { event: { original: l, dataset: 'nginx.access' }, tags: ['_parse_failure'] },
      l.slice(0, 40),
    );
  }
});

t.test('nesting up to the limit is kept and encodes', async (t) => {
  const l = '{"a":' + '{"b":'.repeat(15) + '1' + '}'.repeat(15) + '}';
  const ev = json.parse(l);
  t.notOk(ev.tags);
  t.equal(JSON.parse(JSON.stringify(ev)).event.original, l);
});

t.test('leading whitespace and an empty object are fine', async (t) => {
  t.same(json.parse('  {}'), { event: { original: '  {}', dataset: 'nginx.access' } });
});
