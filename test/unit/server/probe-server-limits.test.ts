// The probe server's bounds (issue 16): a body too large is refused by its declared length
// at once, a slow client is cut off, connections are capped, and the probes keep answering
// through a flood of connections that never finish their request.

import t from 'tap';
import { connect, type Socket } from 'node:net';
import { MetricsRegistry } from '../../../src/metrics/metrics.js';
import { ProbeServer, type ProbeServerOptions } from '../../../src/server/probe-server.js';
import { quietLogger, request } from '../../fixtures/server/http.js';

async function serve(
  t: { teardown(fn: () => unknown): void },
  opts: Partial<ProbeServerOptions> = {},
) {
  const server = new ProbeServer(
    {
      listen: '127.0.0.1:0',
      heartbeatMs: 20,
      readinessIntervalMs: 20,
      readiness: () => true,
      metrics: new MetricsRegistry({ defaultMetrics: false }),
      ...opts,
    },
    quietLogger,
  );
  const { port } = await server.start();
  server.markStarted();
  t.teardown(() => server.stop());
  return port;
}

/** A raw connection; `closed` settles when the server closes it, `text` is what it sent. */
function open(
  port: number,
): Promise<{ socket: Socket; closed: Promise<void>; text: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, closed, text: () => text }));
    socket.once('error', reject);
  });
}

function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms),
    ),
  ]);
}

t.test('regression: a body declared too large is refused with 413 at once', async (t) => {
  const port = await serve(t);
  const c = await open(port);
  t.teardown(() => c.socket.destroy());
  c.socket.write(
    'POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10485760\r\n\r\n' +
      'x'.repeat(1000),
  );
  await within(2000, c.closed, 'the server closing the connection');
  t.match(c.text(), /^HTTP\/1\.1 413 /, 'answered before the body was sent');
  t.match(c.text(), /body larger than 65536 bytes/);
});

t.test('regression: a client that waits for 100 Continue is refused too', async (t) => {
  const port = await serve(t);
  const c = await open(port);
  t.teardown(() => c.socket.destroy());
  c.socket.write(
    'POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10485760\r\n' +
      'Expect: 100-continue\r\n\r\n',
  );
  await within(2000, c.closed, 'the server closing the connection');
  t.match(c.text(), /^HTTP\/1\.1 413 /);
});

t.test('regression: a body that never finishes is cut off', async (t) => {
  const port = await serve(t, { http: { headersTimeoutMs: 300, bodyTimeoutMs: 300 } });
  const c = await open(port);
  t.teardown(() => c.socket.destroy());
  c.socket.write('POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc');
  const started = Date.now();
  await within(3000, c.closed, 'the server closing a slow body');
  t.ok(Date.now() - started < 3000);
  t.match(c.text(), /^HTTP\/1\.1 408 /, 'Request Timeout');
});

t.test('regression: headers that never finish are cut off', async (t) => {
  const port = await serve(t, { http: { headersTimeoutMs: 300, bodyTimeoutMs: 300 } });
  const c = await open(port);
  t.teardown(() => c.socket.destroy());
  c.socket.write('GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  await within(3000, c.closed, 'the server closing slow headers');
  t.pass('closed');
});

t.test(
  'regression: connections are capped and /livez answers 200 within 1 s through a flood',
  async (t) => {
    const port = await serve(t, { http: { maxConnections: 32 } });
    const flood: Awaited<ReturnType<typeof open>>[] = [];
    t.teardown(() => flood.forEach((c) => c.socket.destroy()));
    for (let i = 0; i < 200; i++) {
      const c = await open(port);
      // half of them never finish their headers, half stream a large body slowly
      if (i % 2 === 0) c.socket.write('GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      else
        c.socket.write(
          'POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n',
        );
      flood.push(c);
    }
    const started = Date.now();
    const live = await within(1000, request(`http://127.0.0.1:${port}/livez`), '/livez');
    t.equal(live.status, 200, `/livez in ${Date.now() - started} ms`);
    await new Promise((r) => setTimeout(r, 200));
    const open_ = flood.filter((c) => !c.socket.destroyed && c.socket.readyState === 'open');
    t.ok(open_.length <= 32, `at most 32 flood connections still open (${open_.length})`);
  },
);
