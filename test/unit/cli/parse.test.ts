import t from 'tap';
import { runCli } from '../../helpers/cli.js';

const COMBINED = [
  '203.0.113.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a?x=1 HTTP/1.1" 200 2326 "http://r/" "curl/8.0"',
  'garbage that is not a log line',
  '',
  '2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] "-" 400 0 "-" "-"',
];

t.test('one JSON event per input line, in order, fields parsed', async (t) => {
  const res = await runCli(['parse', '--format', 'combined'], { stdin: COMBINED.join('\r\n') });
  t.equal(res.code, 0, res.stderr);
  const events = res.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.equal(
    events.length,
    COMBINED.length,
    'exactly one output line per input line, the last one without newline too',
  );
  t.same(
    events.map((e) => e.event.original),
    COMBINED,
  );
  t.equal(events[0]['@timestamp'], '2000-10-10T20:55:36.000Z');
  t.equal(events[0].source.ip, '203.0.113.7');
  t.equal(events[0].user.name, 'alice');
  t.equal(events[0].url.query, 'x=1');
  t.equal(events[0].http.response.status_code, 200);
  t.same(events[1].tags, ['_parse_failure']);
  t.same(events[2].tags, ['_parse_failure']);
  t.equal(events[3].source.ip, '2001:db8::1');
  t.equal(events[3].http.response.status_code, 400);
});

t.test('a custom log_format from the command line', async (t) => {
  const res = await runCli(
    ['parse', '--log-format', '$remote_addr [$time_iso8601] "$request" $status $request_time'],
    {
      stdin: '10.0.0.1 [2024-01-02T03:04:05+01:00] "POST /x HTTP/2.0" 502 0.250\n',
    },
  );
  t.equal(res.code, 0, res.stderr);
  const event = JSON.parse(res.stdout);
  t.equal(event['@timestamp'], '2024-01-02T02:04:05.000Z');
  t.equal(event.http.request.method, 'POST');
  t.equal(event.http.version, '2.0');
  t.equal(event.event.duration, 250_000_000);
});

t.test('long lines are cut and tagged; invalid UTF-8 is kept and tagged', async (t) => {
  const long = 'x'.repeat(5000);
  const res = await runCli(['parse', '--format', 'main', '--max-line-bytes', '1KiB'], {
    stdin: Buffer.concat([Buffer.from(long + '\n'), Buffer.from([0x66, 0xff, 0x6f, 0x0a])]),
  });
  t.equal(res.code, 0, res.stderr);
  const [cut, bad] = res.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.equal(cut.event.original.length, 1024);
  t.ok(cut.tags.includes('_truncated'));
  t.equal(bad.event.original, 'f\\xFFo');
  t.ok(bad.tags.includes('_invalid_utf8'));
});

t.test('bad usage exits 2 and names the problem', async (t) => {
  const unknownFormat = await runCli(['parse', '--format', 'apache']);
  t.equal(unknownFormat.code, 2);
  t.match(unknownFormat.stderr, /--format must be one of combined, main, json, error/);
  const badLogFormat = await runCli(['parse', '--log-format', '$remote_addr$status']);
  t.equal(badLogFormat.code, 2);
  t.match(badLogFormat.stderr, /remote_addr.*status|status.*remote_addr/);
  const unknownFlag = await runCli(['parse', '--nope']);
  t.equal(unknownFlag.code, 2);
  t.match(unknownFlag.stderr, /--nope/);
});

t.test('--help and --version', async (t) => {
  const help = await runCli(['parse', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /Usage: logpod parse/);
  const version = await runCli(['--version']);
  t.equal(version.code, 0);
  t.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const none = await runCli([]);
  t.equal(none.code, 2);
  t.match(none.stdout, /Commands:/);
});
