// Lines written by a real nginx with log_formats that put variables side by
// side ($scheme://$host$request_uri, $status$scheme, $request_id$server_protocol),
// for request lines sent as raw bytes, some with several spaces between method,
// target and protocol: every field comes out as nginx meant it.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Nginx } from '../../e2e/helpers/nginx.js';
import { createParser } from '../../../src/parse/index.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const FORMAT =
  '$remote_addr [$time_local] "$request" $status $scheme://$host$request_uri ' +
  '$body_bytes_sent $msec $status$scheme $request_id$server_protocol';

const skip =
  spawnSync('nginx', ['-v'], { stdio: 'ignore' }).error !== undefined
    ? 'nginx is not installed (apt-get install nginx)'
    : false;

/** Sends `raw` as is and waits until nginx has answered and closed the connection. */
function send(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let answer = '';
    socket.setEncoding('latin1').on('data', (c: string) => (answer += c));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

async function loggedLines(path: string, count: number): Promise<string[]> {
  const until = Date.now() + 5_000;
  for (;;) {
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
    if (lines.length >= count || Date.now() > until) return lines;
    await sleep(20);
  }
}

interface Fields {
  method?: string;
  original?: string;
  path?: string;
  query?: string;
  version?: string;
  scheme?: string;
  domain?: string;
  status?: number;
}

function fields(ev: EcsEvent): Fields {
  const http = ev.http as
    | { request?: { method?: string }; version?: string; response?: { status_code?: number } }
    | undefined;
  const url = (ev.url ?? {}) as Record<string, string | undefined>;
  return {
    method: http?.request?.method,
    original: url.original,
    path: url.path,
    query: url.query,
    version: http?.version,
    scheme: url.scheme,
    domain: url.domain,
    status: http?.response?.status_code,
  };
}

t.test('adjacent variables and odd request lines from a real nginx', { skip }, async (t) => {
  const nginx = await Nginx.start({ dir: t.testdir(), format: 'custom', logFormat: FORMAT });
  t.teardown(() => nginx.stop());
  const before = (await loggedLines(nginx.witnessLog, 0)).length;

  const requests: [string, Fields][] = [
    [
      'GET   /e2e/a?x=1&y=/z    HTTP/1.1\r\nHost: Shop.Example.com:8443\r\nConnection: close\r\n\r\n',
      {
        method: 'GET',
        original: '/e2e/a?x=1&y=/z',
        path: '/e2e/a',
        query: 'x=1&y=/z',
        version: '1.1',
        scheme: 'http',
        domain: 'shop.example.com',
        status: 200,
      },
    ],
    [
      'HEAD  /missing  HTTP/1.0\r\nHost: [::1]:80\r\n\r\n',
      {
        method: 'HEAD',
        original: '/missing',
        path: '/missing',
        version: '1.0',
        scheme: 'http',
        domain: '[::1]',
        status: 404,
      },
    ],
    [
      'GET http://absolute.example/e2e/b?q HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n',
      {
        method: 'GET',
        original: '/e2e/b?q',
        path: '/e2e/b',
        query: 'q',
        version: '1.1',
        scheme: 'http',
        domain: 'absolute.example',
        status: 200,
      },
    ],
    [
      // HTTP/1.0 without Host: $host is the server's name, empty here.
      'GET /e2e/c HTTP/1.0\r\n\r\n',
      {
        method: 'GET',
        original: '/e2e/c',
        path: '/e2e/c',
        version: '1.0',
        scheme: 'http',
        status: 200,
      },
    ],
  ];
  for (const [raw] of requests) await send(nginx.port, raw);
  const lines = (await loggedLines(nginx.witnessLog, before + requests.length)).slice(before);
  t.equal(lines.length, requests.length, lines.join('\n'));

  const parser = createParser({ format: 'custom', logFormat: FORMAT });
  for (let i = 0; i < requests.length; i++) {
    const ev = parser.parse(lines[i]);
    t.notOk(ev.tags, `parsed: ${lines[i]}`);
    t.same(fields(ev), requests[i][1], lines[i]);
    t.equal((ev.source as { ip?: string } | undefined)?.ip, '127.0.0.1');
    const access = (ev.nginx as { access: Record<string, unknown> }).access;
    t.match(access.request_id, /^[0-9a-f]{32}$/, 'the fixed-width $request_id before the protocol');
  }
});

t.test('$request with several spaces is split as nginx split it', { skip }, async (t) => {
  const format = '$remote_addr "$request" $status $scheme://$host$request_uri';
  const nginx = await Nginx.start({ dir: t.testdir(), format: 'custom', logFormat: format });
  t.teardown(() => nginx.stop());
  const before = (await loggedLines(nginx.witnessLog, 0)).length;
  const requests: [string, Fields][] = [
    [
      'POST    /e2e/p?a=b   HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      { method: 'POST', original: '/e2e/p?a=b', path: '/e2e/p', query: 'a=b', version: '1.1' },
    ],
    [
      'GET  /e2e/q HTTP/1.0\r\n\r\n',
      { method: 'GET', original: '/e2e/q', path: '/e2e/q', version: '1.0' },
    ],
    // Spaces after the version: nginx accepts them and keeps them in $request.
    [
      'GET /e2e/r?s HTTP/1.1   \r\nHost: h\r\nConnection: close\r\n\r\n',
      { method: 'GET', original: '/e2e/r?s', path: '/e2e/r', query: 's', version: '1.1' },
    ],
    // A request line nginx refuses (400): $request_uri is '-'; the line still parses.
    ['BAD\r\n\r\n', {}],
  ];
  for (const [raw] of requests) await send(nginx.port, raw);
  const lines = (await loggedLines(nginx.witnessLog, before + requests.length)).slice(before);
  t.equal(lines.length, requests.length, lines.join('\n'));
  // The same lines read with $request as the only source of method, target and version.
  const parser = createParser({
    format: 'custom',
    logFormat: '$remote_addr "$request" $status $x',
  });
  for (let i = 0; i < requests.length; i++) {
    const ev = parser.parse(lines[i]);
    t.notOk(ev.tags, lines[i]);
    const f = fields(ev);
    t.same(
      { method: f.method, original: f.original, path: f.path, query: f.query, version: f.version },
      {
        method: requests[i][1].method,
        original: requests[i][1].original,
        path: requests[i][1].path,
        query: requests[i][1].query,
        version: requests[i][1].version,
      },
      lines[i],
    );
  }
  const bad = createParser({ format: 'custom', logFormat: format }).parse(lines[3]);
  t.notOk(bad.tags, lines[3]);
  t.equal(fields(bad).status, 400);
  t.same(bad.url, { scheme: 'http' }, 'host empty, no URI: neither is made up');
});
