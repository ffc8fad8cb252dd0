// Who reads what the probe server shows (issue 16): probes and /metrics answer everyone;
// the dashboard, its API and /status answer connections made to loopback or carrying the
// server.auth token, and only for Host names the server knows (DNS rebinding).

import t from 'tap';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { MetricsRegistry } from '../../../src/metrics/metrics.js';
import { ProbeServer, type ProbeServerOptions } from '../../../src/server/probe-server.js';
import { quietLogger } from '../../fixtures/server/http.js';

interface Raw {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A request with any headers (fetch will not set Host). */
export function raw(
  host: string,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A non-loopback IPv4 address of this machine, to connect as a client from elsewhere would. */
function outsideAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

async function serve(
  t: { teardown(fn: () => unknown): void },
  opts: Partial<ProbeServerOptions> = {},
) {
  const server = new ProbeServer(
    {
      listen: '0.0.0.0:0',
      heartbeatMs: 20,
      readinessIntervalMs: 20,
      readiness: () => true,
      metrics: new MetricsRegistry({ defaultMetrics: false }),
      onRequest: async (req) =>
        req.url === '/api/dashboard' ? { status: 200, body: '{"recent5xx":[]}' } : undefined,
      ...opts,
    },
    quietLogger,
  );
  const { port } = await server.start();
  server.markStarted();
  t.teardown(() => server.stop());
  return port;
}

const outside = outsideAddress();
const skip = outside === undefined ? 'no non-loopback IPv4 address on this machine' : false;
const TOKEN = 'a-token-of-32-characters-or-so-x';

t.test(
  'regression: without a token, only loopback connections read /status and the dashboard',
  { skip },
  async (t) => {
    const port = await serve(t, { access: { allowedHosts: [outside!] } });
    for (const path of ['/status', '/api/dashboard', '/', '/anything']) {
      const far = await raw(outside!, port, path);
      t.equal(far.status, 403, `${path} from outside`);
      t.match(far.text, /loopback only/);
    }
    for (const path of ['/livez', '/readyz', '/startupz', '/metrics']) {
      t.equal((await raw(outside!, port, path)).status, 200, `${path} from outside`);
    }
    t.equal((await raw('127.0.0.1', port, '/status')).status, 200, 'loopback reads /status');
    t.equal((await raw('127.0.0.1', port, '/api/dashboard')).status, 200);
  },
);

t.test(
  'regression: with server.auth, a bearer token or basic password opens them, compared exactly',
  { skip },
  async (t) => {
    const port = await serve(t, { access: { token: TOKEN, allowedHosts: [outside!] } });
    const none = await raw(outside!, port, '/status');
    t.equal(none.status, 401);
    t.match(String(none.headers['www-authenticate']), /^Basic realm="logpod"/);
    const wrong = await raw(outside!, port, '/status', { authorization: `Bearer ${TOKEN}y` });
    t.equal(wrong.status, 401, 'a longer token is not the token');
    const prefix = await raw(outside!, port, '/status', {
      authorization: `Bearer ${TOKEN.slice(0, -1)}`,
    });
    t.equal(prefix.status, 401, 'nor a prefix of it');
    const bearer = await raw(outside!, port, '/status', { authorization: `Bearer ${TOKEN}` });
    t.equal(bearer.status, 200);
    const basic = Buffer.from(`anyone:${TOKEN}`).toString('base64');
    const page = await raw(outside!, port, '/api/dashboard', { authorization: `Basic ${basic}` });
    t.equal(page.status, 200, 'a browser sends it as basic auth');
    t.equal((await raw(outside!, port, '/metrics')).status, 200, '/metrics needs no token');
  },
);

t.test(
  'regression: a Host not allowed gets 421 on private paths; probes answer any Host',
  async (t) => {
    const port = await serve(t, {
      listen: '127.0.0.1:0',
      access: { allowedHosts: ['logs.example'] },
    });
    const rebound = await raw('127.0.0.1', port, '/status', { host: `evil.example:${port}` });
    t.equal(rebound.status, 421, 'DNS rebinding: the browser sends the attacker name');
    t.equal((await raw('127.0.0.1', port, '/api/dashboard', { host: 'evil.example' })).status, 421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'LOGS.example.', '[::1]']) {
      t.equal((await raw('127.0.0.1', port, '/status', { host })).status, 200, host);
    }
    // the kubelet probes with Host: <pod IP>:<port>, which may not be known to logpod
    t.equal((await raw('127.0.0.1', port, '/livez', { host: '10.1.2.3:8686' })).status, 200);
    t.equal((await raw('127.0.0.1', port, '/metrics', { host: '10.1.2.3:8686' })).status, 200);
  },
);

t.test('the pod IP from the downward API is an allowed Host', async (t) => {
  const before = process.env.POD_IP;
  process.env.POD_IP = '10.1.2.3';
  t.teardown(() => {
    if (before === undefined) delete process.env.POD_IP;
    else process.env.POD_IP = before;
  });
  const port = await serve(t, { listen: '127.0.0.1:0' });
  t.equal((await raw('127.0.0.1', port, '/status', { host: '10.1.2.3:8686' })).status, 200);
});
