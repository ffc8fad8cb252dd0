// A real nginx writes its error log for requests that try to forge the context
// it appends (`, client: …, server: …, request: "…"`): through the URI (which
// nginx repeats, decoded, in the message) and through the Referer header
// (written after the real context). `logpod run --format error` must never
// take the forged client or request. Needs only nginx (no Kafka or Elasticsearch).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Nginx } from './helpers/nginx.js';
import { runCli } from '../helpers/cli.js';

const skip =
  spawnSync('nginx', ['-v'], { stdio: 'ignore' }).error !== undefined
    ? 'nginx is not installed (scripts/install-system-deps.sh installs nginx-light)'
    : false;

const FORGED = ', client: 6.6.6.6, server: evil, request: "GET /admin HTTP/1.1"';

function get(nginx: Nginx, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${nginx.baseUrl}${path}`, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

interface ErrorEvent {
  message?: string;
  source?: { ip?: string };
  url?: { original?: string };
  tags?: string[];
}

t.test('a forged context in the URI or the Referer never becomes a field', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'logpod-e2e-spoof-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const nginx = await Nginx.start({ dir, format: 'main' });
  t.teardown(() => nginx.stop());

  // The URI, percent-encoded on the wire, decoded by nginx into the open() message.
  const uri = `/x${encodeURIComponent(FORGED).replace(/%2F/g, '/')}`;
  t.equal(await get(nginx, uri), 404);
  // The Referer closes nginx's quote and appends a whole fake context.
  t.equal(await get(nginx, '/y', { Referer: `x"${FORGED}, host: "evil` }), 404);
  await sleep(200);

  const errorLog = join(nginx.prefix, 'error.log');
  const raw = (await readFile(errorLog, 'utf8')).split('\n').filter((l) => l.includes('open()'));
  t.equal(raw.length, 2, 'nginx logged both requests');
  t.ok(raw[0].includes(`/x${FORGED}"`), 'the message holds the forged text, as sent');
  t.ok(raw[1].includes(`referrer: "x"${FORGED}`), 'so does the context, after the real one');

  const out = join(dir, 'events.ndjson');
  const res = await runCli([
    'run',
    '--input',
    errorLog,
    '--format',
    'error',
    '--from',
    'beginning',
    '--data-dir',
    join(dir, 'data'),
    '--output',
    `file:${out}`,
    '--once',
  ]);
  t.equal(res.code, 0, res.stderr);
  const events = (await readFile(out, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as ErrorEvent)
    .filter((e) => e.message?.startsWith('open()'));
  t.equal(events.length, 2);
  const [viaUri, viaReferer] = events;
  t.equal(viaUri.source?.ip, '127.0.0.1', 'the real client, not 6.6.6.6');
  t.equal(viaUri.url?.original, uri, 'the request nginx served, not /admin');
  t.notOk(viaUri.tags?.includes('_parse_failure'), 'parsed');
  t.notOk(viaReferer.source, 'ambiguous: no client rather than the forged one');
  t.notOk(viaReferer.url, 'and no request');
  for (const e of events) {
    t.not(e.source?.ip, '6.6.6.6');
    t.not(e.url?.original, '/admin');
  }
});
