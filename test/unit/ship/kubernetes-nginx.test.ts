// The nginx.conf the Kubernetes manifests mount, run by the real nginx
// (container paths moved into a temp dir, listening on a free loopback port):
// nginx accepts it, the kubelet's /healthz answers and is never logged, the
// client address behind a trusted proxy is the visitor's, and every line
// parses as logpod's `main`.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { freePort, readText, start, waitForStatus } from './ship-helpers.js';

const nginxVersion = spawnSync('nginx', ['-V'], { encoding: 'utf8' });
const noNginx =
  nginxVersion.error !== undefined
    ? 'nginx is not installed (scripts/install-system-deps.sh)'
    : false;

/** The nginx.conf of a manifest's nginx ConfigMap. */
function manifestConf(file: string): string {
  const docs = parseAllDocuments(readText('examples', 'kubernetes', file)).map(
    (d) => d.toJS() as { kind: string; data?: Record<string, string> },
  );
  return docs.find((d) => d.kind === 'ConfigMap' && d.data?.['nginx.conf'])!.data!['nginx.conf'];
}

/**
 * The manifest's nginx.conf with every container path moved under `root`, in one
 * pass: `root` may itself be under /tmp, so no replacement may see another's output.
 */
function mappedConfig(conf: string, root: string, port: number): string {
  const moved: Record<string, string> = {
    '/var/log/nginx': `${root}/logs`,
    '/tmp/': `${root}/tmp/`,
    '/etc/nginx/mime.types': `${root}/mime.types`,
    '/usr/share/nginx/html': `${root}/html`,
  };
  return (
    conf
      .replace(
        /\/var\/log\/nginx|\/tmp\/|\/etc\/nginx\/mime\.types|\/usr\/share\/nginx\/html/g,
        (p) => moved[p],
      )
      .replace('listen 8080 default_server', `listen 127.0.0.1:${port} default_server`)
      // Loopback stands in for the load balancer's network here.
      .replace('real_ip_header', 'set_real_ip_from 127.0.0.1;\n        real_ip_header')
  );
}

function get(url: string, headers: Record<string, string> = {}): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

interface Event {
  tags?: string[];
  source?: { ip?: string };
  url?: { path?: string };
}

t.test('both pod manifests mount the same nginx.conf', async (t) => {
  t.equal(manifestConf('nginx-native-sidecar.yaml'), manifestConf('nginx-two-containers.yaml'));
});

t.test(
  "the manifests' nginx.conf under the real nginx",
  { skip: noNginx, timeout: 120_000 },
  async (t) => {
    const root = t.testdir();
    // Started as root, nginx's workers drop to an unprivileged user that must reach html/.
    await chmod(root, 0o755);
    await Promise.all(['logs', 'html', 'data', 'tmp'].map((d) => mkdir(join(root, d))));
    await writeFile(join(root, 'html', 'index.html'), '<!doctype html><title>shop</title>\n');
    await writeFile(join(root, 'mime.types'), 'types {\n    text/html html;\n}\n');
    const port = await freePort();
    const conf = join(root, 'nginx.conf');
    const text = manifestConf('nginx-native-sidecar.yaml');
    t.match(text, /^\s*worker_shutdown_timeout 10s;/m, 'nginx drains for 10 s at most');
    await writeFile(conf, mappedConfig(text, root, port));

    const syntax = spawnSync('nginx', ['-t', '-p', `${root}/`, '-c', conf], { encoding: 'utf8' });
    t.equal(syntax.status, 0, 'nginx -t accepts the config', { output: syntax.stderr });

    const nginx = start(t, 'nginx', ['-p', `${root}/`, '-c', conf, '-g', 'daemon off;']);
    const base = `http://127.0.0.1:${port}`;
    t.ok(await waitForStatus(`${base}/healthz`, 200), '/healthz answers', {
      output: nginx.output(),
    });
    for (let i = 0; i < 5; i++) t.equal(await get(`${base}/healthz`), 200);
    t.equal(await get(`${base}/`, { 'X-Forwarded-For': '203.0.113.7' }), 200);
    t.equal(await get(`${base}/missing`, { 'X-Forwarded-For': '198.51.100.9, 10.2.3.4' }), 404);
    nginx.child.kill('SIGQUIT');
    t.equal(await nginx.exited, 0, 'a graceful stop');

    const config = join(root, 'logpod.yaml');
    await writeFile(
      config,
      `data_dir: ${root}/data
inputs:
  - { id: access, paths: ['${root}/logs/access.log'], format: main, start_at: beginning }
output:
  file: { path: '${root}/events.ndjson' }
server:
  enabled: false
`,
    );
    const run = await runCli(['run', '--config', config, '--once']);
    t.equal(run.code, 0, 'logpod read the access log', { output: run.stderr });
    const events = (await readFile(join(root, 'events.ndjson'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Event);
    t.same(
      events.map((e) => [e.url?.path, e.source?.ip, e.tags?.includes('_parse_failure') ?? false]),
      [
        ['/', '203.0.113.7', false],
        ['/missing', '198.51.100.9', false],
      ],
      'no /healthz line; the visitor, not the proxy; each line parsed as main',
    );
  },
);
