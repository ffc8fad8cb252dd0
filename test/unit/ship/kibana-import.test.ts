// docker/kibana/import.sh, the demo's one-shot job, against a stand-in for
// Kibana's status and saved objects import APIs: it uploads the NDJSON file
// with the headers Kibana requires, and fails (non-zero, with Kibana's answer)
// when the import is refused, so Compose reports the job as failed.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { repoPath, start } from './ship-helpers.js';

const SCRIPT = repoPath('docker', 'kibana', 'import.sh');
const noCurl =
  spawnSync('curl', ['--version']).error !== undefined ? 'curl is not installed' : false;

interface Upload {
  url: string;
  xsrf: string | undefined;
  body: string;
}

async function fakeKibana(t: Test, answer: object): Promise<{ url: string; uploads: Upload[] }> {
  const uploads: Upload[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/api/status') {
        res.end(JSON.stringify({ status: { overall: { level: 'available' } } }));
      } else if (req.method === 'POST' && req.url?.startsWith('/api/saved_objects/_import')) {
        uploads.push({ url: req.url, xsrf: req.headers['kbn-xsrf'] as string, body });
        res.end(JSON.stringify(answer));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, uploads };
}

async function savedObjects(t: Test): Promise<string> {
  const dir = t.testdir();
  const file = join(dir, 'saved-objects.ndjson');
  await writeFile(
    file,
    '{"type":"index-pattern","id":"logpod","attributes":{"title":"logs-nginx*"}}\n',
  );
  return file;
}

t.test('uploads the saved objects and succeeds', { skip: noCurl }, async (t) => {
  const kibana = await fakeKibana(t, { success: true, successCount: 1 });
  const file = await savedObjects(t);
  const job = start(t, 'sh', [SCRIPT], { env: { KIBANA_URL: kibana.url, SAVED_OBJECTS: file } });
  t.equal(await job.exited, 0, 'exit 0', { output: job.output() });
  t.equal(kibana.uploads.length, 1, 'one import request');
  const [upload] = kibana.uploads;
  t.match(upload.url, /overwrite=true/, 'overwrite: running it again replaces the objects');
  t.ok(upload.xsrf, 'the kbn-xsrf header Kibana requires');
  t.match(upload.body, /filename="saved-objects\.ndjson"/, 'a multipart file upload');
  t.match(upload.body, /"id":"logpod"/, 'with the NDJSON content');
});

t.test("a refused import fails the job with Kibana's answer", { skip: noCurl }, async (t) => {
  const answer = {
    success: false,
    successCount: 0,
    errors: [{ id: 'x', error: { type: 'conflict' } }],
  };
  const kibana = await fakeKibana(t, answer);
  const file = await savedObjects(t);
  const job = start(t, 'sh', [SCRIPT], { env: { KIBANA_URL: kibana.url, SAVED_OBJECTS: file } });
  t.equal(await job.exited, 1, 'exit 1');
  t.match(job.output(), /refused .*conflict/, 'says what Kibana answered');
});

t.test('a missing file fails at once', async (t) => {
  const job = start(t, 'sh', [SCRIPT], {
    env: { KIBANA_URL: 'http://127.0.0.1:9', SAVED_OBJECTS: '/nonexistent/saved-objects.ndjson' },
  });
  t.equal(await job.exited, 1, 'exit 1');
  t.match(job.output(), /not found/);
});
