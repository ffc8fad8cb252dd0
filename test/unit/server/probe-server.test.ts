import t from 'tap';
import { createServer } from 'node:net';
import { MetricsRegistry } from '../../../src/metrics/metrics.js';
import {
  ProbeServer,
  type ProbeServerOptions,
  type StageState,
} from '../../../src/server/probe-server.js';
import type { StatusDocument } from '../../../src/server/status-document.js';
import { LogpodError } from '../../../src/errors.js';
import { PipelineCounters } from '../../../src/pipeline/counters.js';
import { quietLogger, request, until } from '../../fixtures/server/http.js';

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
  t.teardown(() => server.stop());
  return { server, base: `http://127.0.0.1:${port}` };
}

t.test('startup: 503 until markStarted, then 200; readiness waits for startup too', async (t) => {
  const { server, base } = await serve(t);
  const before = await request(`${base}/startupz`);
  t.equal(before.status, 503);
  t.match(JSON.parse(before.text), { ok: false, reason: 'starting' });
  t.equal((await request(`${base}/readyz`)).status, 503, 'not ready before started');
  t.equal((await request(`${base}/livez`)).status, 200, 'alive while starting');

  server.markStarted();
  const after = await request(`${base}/startupz`);
  t.equal(after.status, 200);
  t.same(JSON.parse(after.text), { ok: true });
  const ready = await until(
    () => request(`${base}/readyz`),
    (a) => a.status === 200,
  );
  t.equal(ready.status, 200);
  t.equal((await request(`${base}/startupz`, { method: 'HEAD' })).status, 200, 'HEAD works too');
  t.equal((await request(`${base}/startupz`, { method: 'POST' })).status, 405);
});

t.test(
  'readiness follows the function, with its reason; a throwing check means not ready',
  async (t) => {
    let answer: boolean | { ready: boolean; reason?: string } | Error = {
      ready: false,
      reason: 'kafka unreachable',
    };
    const { server, base } = await serve(t, {
      readiness: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    server.markStarted();
    const down = await until(
      () => request(`${base}/readyz`),
      (a) => a.text.includes('kafka unreachable'),
    );
    t.equal(down.status, 503);
    t.same(JSON.parse(down.text), { ok: false, reason: 'kafka unreachable' });

    answer = true;
    t.equal(
      (
        await until(
          () => request(`${base}/readyz`),
          (a) => a.status === 200,
        )
      ).status,
      200,
    );

    answer = false;
    t.equal(
      (
        await until(
          () => request(`${base}/readyz`),
          (a) => a.status === 503,
        )
      ).status,
      503,
    );

    answer = new Error('elasticsearch: connection refused');
    const failed = await until(
      () => request(`${base}/readyz`),
      (a) => a.text.includes('connection refused'),
    );
    t.equal(failed.status, 503);
    t.equal(
      JSON.parse(failed.text).reason,
      'readiness check failed: elasticsearch: connection refused',
    );
  },
);

t.test(
  'liveness: a working stage without progress fails it; progress brings it back',
  async (t) => {
    const { server, base } = await serve(t, { stageStalledMs: 200 });
    let state: StageState = 'working';
    let progress = 0;
    server.addStage({ name: 'output', state: () => state, progress: () => progress });
    server.markStarted();

    const stalled = await until(
      () => request(`${base}/livez`),
      (a) => a.status === 503,
    );
    t.equal(stalled.status, 503);
    t.match(
      JSON.parse(stalled.text).reason,
      /stage output has work but made no progress for \d+ ms/,
    );

    const moving = setInterval(() => progress++, 20);
    t.teardown(() => clearInterval(moving));
    t.equal(
      (
        await until(
          () => request(`${base}/livez`),
          (a) => a.status === 200,
        )
      ).status,
      200,
    );
    clearInterval(moving);

    state = 'waiting'; // e.g. Kafka down: not wedged, a restart would not help
    await new Promise((r) => setTimeout(r, 600));
    t.equal((await request(`${base}/livez`)).status, 200, 'waiting long is still live');
    state = 'idle';
    await new Promise((r) => setTimeout(r, 400));
    t.equal((await request(`${base}/livez`)).status, 200, 'idle long is still live');
  },
);

t.test('/metrics and /status are answered by the main thread from the bound numbers', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  const counters = new PipelineCounters();
  counters.linesRead = 1234;
  counters.eventsAcked = 1200;
  counters.parseFailures = 3;
  metrics.bindPipeline(() => counters);
  metrics.bindFiles(() => [
    { input: 'nginx', path: '/var/log/nginx/access.log', size: 5000, committed: 4000 },
  ]);
  const { server, base } = await serve(t, {
    metrics,
    version: '9.9.9',
    status: () => ({ outputs: [{ name: 'kafka', state: 'up' }], version: 'not this one' }),
  });
  server.addStage({ name: 'tail', state: () => 'idle', progress: () => 0 });
  server.markStarted();

  const m = await request(`${base}/metrics`);
  t.equal(m.status, 200);
  t.match(m.contentType, /^text\/plain/);
  t.match(m.text, /^logpod_lines_read_total 1234$/m);
  t.match(
    m.text,
    /^logpod_file_lag_bytes\{input="nginx",path="\/var\/log\/nginx\/access.log"\} 1000$/m,
  );

  counters.linesRead = 1300; // read at scrape time
  t.match((await request(`${base}/metrics`)).text, /^logpod_lines_read_total 1300$/m);

  const s = await until(
    () => request(`${base}/status`),
    (a) => (JSON.parse(a.text) as StatusDocument).probes.ready.ok,
  );
  t.equal(s.status, 200);
  const doc = JSON.parse(s.text) as StatusDocument;
  t.equal(doc.name, 'logpod');
  t.equal(doc.version, '9.9.9', 'an owner section does not replace a core key');
  t.equal(doc.pid, process.pid);
  t.same(doc.probes, { startup: { ok: true }, live: { ok: true }, ready: { ok: true } });
  t.equal(doc.counters.lines_read, 1300);
  t.equal(doc.counters.events_acked, 1200);
  t.same(doc.files, [
    {
      input: 'nginx',
      path: '/var/log/nginx/access.log',
      size: 5000,
      committed: 4000,
      lag_bytes: 1000,
    },
  ]);
  t.same(doc.outputs, [{ name: 'kafka', state: 'up' }]);
  t.match(doc.stages, [{ name: 'tail', state: 'idle', progress: 0 }]);
  t.same(server.status().counters, doc.counters, 'the in-process view agrees');
});

t.test(
  'extra routes go to onRequest; unknown paths are 404; the debug switch is off by default',
  async (t) => {
    t.notOk(process.env.LOGPOD_DEBUG_ENDPOINTS, 'test runs without the debug switch');
    const seen: string[] = [];
    const { base } = await serve(t, {
      onRequest: async (req) => {
        seen.push(`${req.method} ${req.url} ${req.body?.toString() ?? ''}`);
        if (req.url === '/')
          return { status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>logpod</h1>' };
        if (req.url.startsWith('/echo'))
          return { status: 201, body: Buffer.from(`got ${req.body?.length ?? 0} bytes`) };
        return undefined;
      },
    });
    const home = await request(`${base}/`);
    t.equal(home.status, 200);
    t.equal(home.text, '<h1>logpod</h1>');
    t.equal(home.contentType, 'text/html');
    const echo = await request(`${base}/echo?x=1`, { method: 'POST', body: 'hello' });
    t.equal(echo.status, 201);
    t.equal(echo.text, 'got 5 bytes');
    t.equal((await request(`${base}/nothing-here`)).status, 404);
    t.equal((await request(`${base}/debug/block?ms=10`, { method: 'POST' })).status, 404);
    t.equal((await request(`${base}/metrics`, { method: 'DELETE' })).status, 405);
    t.same(seen, [
      'GET / ',
      'POST /echo?x=1 hello',
      'GET /nothing-here ',
      'POST /debug/block?ms=10 ',
    ]);
  },
);

t.test('a port already in use is a SERVER_LISTEN error naming the address', async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => blocker.close(() => r())));
  const { port } = blocker.address() as { port: number };
  const server = new ProbeServer(
    {
      listen: `127.0.0.1:${port}`,
      readiness: () => true,
      metrics: new MetricsRegistry({ defaultMetrics: false }),
    },
    quietLogger,
  );
  const err = await server.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof LogpodError);
  t.match(err, {
    code: 'SERVER_LISTEN',
    message: new RegExp(`cannot serve on 127.0.0.1:${port}: .*EADDRINUSE`),
  });
  await server.stop();
});

t.test('an invalid listen address is rejected before anything starts', async (t) => {
  const server = new ProbeServer(
    {
      listen: 'nope',
      readiness: () => true,
      metrics: new MetricsRegistry({ defaultMetrics: false }),
    },
    quietLogger,
  );
  await t.rejects(server.start(), { code: 'CONFIG_INVALID' });
  await server.stop();
});
