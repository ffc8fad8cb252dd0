import t from 'tap';
import { createServer } from 'node:net';
import { statusCommand } from '../../../src/cli/status.js';
import { STATUS_HELP } from '../../../src/cli/usage.js';
import { MetricsRegistry } from '../../../src/metrics/metrics.js';
import { PipelineCounters } from '../../../src/pipeline/counters.js';
import { ProbeServer } from '../../../src/server/probe-server.js';
import { createLogger } from '../../../src/logger.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => err.push(s) } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

t.test('prints a live server as tables with its numbers', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  const c = new PipelineCounters();
  c.linesRead = 48213;
  c.bytesRead = 9_100_200;
  c.eventsAcked = 48100;
  c.parseFailures = 17;
  metrics.bindPipeline(() => c);
  metrics.bindFiles(() => [
    { input: 'nginx', path: '/var/log/nginx/access.log', size: 9_200_000, committed: 9_100_000 },
    { input: 'nginx', path: '/var/log/nginx/evil\x1b[31m.log', size: 5, committed: 5 },
  ]);
  const server = new ProbeServer(
    {
      listen: '127.0.0.1:0',
      readiness: () => ({ ready: false, reason: 'elasticsearch unreachable' }),
      readinessIntervalMs: 20,
      metrics,
      version: '1.2.3',
      status: () => ({ outputs: [{ name: 'kafka', brokers: 'k1:9092', state: 'connected' }] }),
    },
    createLogger('silent'),
  );
  server.addStage({ name: 'tail', state: () => 'working', progress: () => 311 });
  const { port } = await server.start();
  t.teardown(() => server.stop());
  server.markStarted();
  while (server.probes().ready.reason !== 'elasticsearch unreachable')
    await new Promise((r) => setTimeout(r, 10));

  const cap = capture();
  const code = await statusCommand(['--url', `http://127.0.0.1:${port}`], cap.io);
  t.equal(code, 0, cap.err());
  const text = cap.out();
  t.match(text, /^logpod 1\.2\.3 at http:\/\/127\.0\.0\.1:\d+ +pid \d+ +up \d+s/);
  t.match(text, /^startup +yes *$/m);
  t.match(text, /^ready +NO +elasticsearch unreachable$/m);
  t.match(text, /^tail +working +311 /m);
  t.match(text, /^lines read +48213$/m);
  t.match(text, /^bytes read +9100200$/m);
  t.match(text, /^events acked +48100$/m);
  t.match(text, /^parse failures +17$/m);
  t.match(text, /^nginx +\/var\/log\/nginx\/access\.log +9200000 +9100000 +100000$/m);
  t.notOk(text.includes('\x1b'), 'no terminal escape from a file name reaches the screen');
  t.match(text, /^OUTPUTS\nNAME +BROKERS +STATE$/m, "the owner's section becomes a table");
  t.match(text, /^kafka +k1:9092 +connected$/m);

  const json = capture();
  t.equal(await statusCommand(['--url', `127.0.0.1:${port}/status`, '--json'], json.io), 0);
  const doc = JSON.parse(json.out());
  t.equal(doc.counters.lines_read, 48213);
  t.same(doc.probes.ready, { ok: false, reason: 'elasticsearch unreachable' });
});

t.test('a closed port: exit 1 and a message that says what to check', async (t) => {
  const port = await freePort();
  const cap = capture();
  const code = await statusCommand(['--url', `http://127.0.0.1:${port}`], cap.io);
  t.equal(code, 1);
  t.equal(cap.out(), '');
  t.match(
    cap.err(),
    `logpod: cannot reach logpod at http://127.0.0.1:${port}/status: ECONNREFUSED`,
  );
  t.match(cap.err(), /server\.enabled/);
});

t.test('a server that is not logpod, or answers an error', async (t) => {
  const { createServer: createHttp } = await import('node:http');
  const http = createHttp((req, res) => {
    if (req.url === '/status') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"event loop blocked"}');
    } else {
      res.end('hello');
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => http.close(() => r())));
  const { port } = http.address() as { port: number };

  const blocked = capture();
  t.equal(await statusCommand(['--url', `http://127.0.0.1:${port}`], blocked.io), 1);
  t.match(blocked.err(), /answered 503: event loop blocked/);

  const other = capture();
  t.equal(await statusCommand(['--url', `http://127.0.0.1:${port}/other/status`], other.io), 1);
  t.match(other.err(), /did not answer with logpod's status/);
});

t.test('usage: help, bad flags, bad url', async (t) => {
  const cap = capture();
  t.equal(await statusCommand(['--help'], cap.io), 0);
  t.equal(cap.out(), STATUS_HELP);
  await t.rejects(statusCommand(['--nope'], cap.io), { code: 'USAGE' });
  await t.rejects(statusCommand(['--url', 'ftp://x'], cap.io), { code: 'USAGE' });
  await t.rejects(statusCommand(['--timeout', 'soon'], cap.io), { code: 'USAGE' });
});
