// The demo's nginx and traffic, end to end without Docker: the real nginx runs
// docker/nginx/nginx.conf (container paths moved into a temp dir, listening on a
// free loopback port), the traffic generator drives it, and logpod reads what
// nginx wrote. Every line parses as `main`, the client addresses come from
// X-Forwarded-For, and the status codes cover what the dashboards show.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../helpers/cli.js';
import { freePort, readText, repoPath, start, waitForStatus } from './ship-helpers.js';

const nginxVersion = spawnSync('nginx', ['-V'], { encoding: 'utf8' });
const noNginx =
  nginxVersion.error !== undefined
    ? 'nginx is not installed (scripts/install-system-deps.sh)'
    : false;

interface Event {
  tags?: string[];
  message?: string;
  source?: { ip?: string };
  http?: { response?: { status_code?: number } };
  log?: { level?: string; file?: { path?: string } };
  nginx?: { access?: { remote_ip_list?: string[] } };
  event: { dataset: string };
}

/** docker/nginx/nginx.conf with every container path moved under `root`. */
function mappedConfig(root: string, port: number): string {
  const build = `${nginxVersion.stdout}${nginxVersion.stderr}`;
  // Temp directories are compiled in (often under /var/lib/nginx): move those the build has.
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((m) => m === 'client_body' || build.includes(`--http-${m}-temp-path`))
    .map((m) => `    ${m}_temp_path ${root}/temp-${m};\n`)
    .join('');
  return (
    readText('docker', 'nginx', 'nginx.conf')
      // The container's user; here nginx runs as whoever runs the tests.
      .replace(/^user .*;$/m, '')
      .replaceAll('/var/log/nginx', `${root}/logs`)
      .replace('/var/run/nginx.pid', `${root}/nginx.pid`)
      .replace('/etc/nginx/mime.types', `${root}/mime.types`)
      .replaceAll('/usr/share/nginx/html', `${root}/html`)
      .replace('listen 80 default_server', `listen 127.0.0.1:${port} default_server`)
      .replace('http {\n', `http {\n${temps}`)
  );
}

t.test(
  'nginx with the demo config, driven by the traffic generator',
  { skip: noNginx },
  async (t) => {
    const root = t.testdir();
    // Started as root, nginx's workers drop to an unprivileged user that must reach html/.
    await chmod(root, 0o755);
    await Promise.all(['logs', 'html', 'data'].map((d) => mkdir(join(root, d))));
    await writeFile(join(root, 'html', 'index.html'), '<!doctype html><title>shop</title>\n');
    await writeFile(join(root, 'mime.types'), 'types {\n    text/html html;\n}\n');
    const port = await freePort();
    const conf = join(root, 'nginx.conf');
    await writeFile(conf, mappedConfig(root, port));

    const syntax = spawnSync('nginx', ['-t', '-p', `${root}/`, '-c', conf], { encoding: 'utf8' });
    t.equal(syntax.status, 0, 'nginx -t accepts the config', { output: syntax.stderr });

    const nginx = start(t, 'nginx', ['-p', `${root}/`, '-c', conf, '-g', 'daemon off;']);
    t.ok(await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200), 'nginx answers', {
      output: nginx.output(),
    });
    const requests = 400;
    const traffic = start(t, process.execPath, [repoPath('docker', 'traffic', 'generate.mjs')], {
      env: { TARGET_URL: `http://127.0.0.1:${port}`, RATE: '1000', COUNT: String(requests) },
    });
    t.equal(await traffic.exited, 0, 'the generator finished', { output: traffic.output() });
    nginx.child.kill('SIGQUIT');
    await nginx.exited;

    const config = join(root, 'logpod.yaml');
    await writeFile(
      config,
      `data_dir: ${root}/data
inputs:
  - { id: access, paths: ['${root}/logs/access.log'], format: main, start_at: beginning }
  - { id: error, paths: ['${root}/logs/error.log'], format: error, start_at: beginning }
output:
  file: { path: '${root}/events.ndjson' }
server:
  enabled: false
`,
    );
    const run = await runCli(['run', '--config', config, '--once']);
    t.equal(run.code, 0, 'logpod read both logs', { output: run.stderr });
    const events = (await readFile(join(root, 'events.ndjson'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Event);

    const access = events.filter((e) => e.event.dataset === 'nginx.access');
    t.equal(access.length, requests, 'one access event per request (health checks are not logged)');
    t.same(
      access.filter((e) => e.tags?.includes('_parse_failure')),
      [],
      'every line is nginx main format',
    );
    // The status classes the dashboards chart; several pages stand behind each.
    const classes = new Set(
      access.map((e) => Math.floor((e.http?.response?.status_code ?? 0) / 100)),
    );
    t.same([...classes].sort(), [2, 3, 4, 5], '2xx, 3xx, 4xx and 5xx answers');
    t.same(
      access.filter(
        (e) =>
          e.source?.ip === undefined ||
          e.source.ip.startsWith('127.') ||
          e.nginx?.access?.remote_ip_list?.[0] !== e.source.ip,
      ),
      [],
      'source.ip is the client address from X-Forwarded-For (set_real_ip_from + real_ip_header)',
    );

    const errors = events.filter((e) => e.event.dataset === 'nginx.error');
    t.same(
      errors.filter((e) => e.tags?.includes('_parse_failure')),
      [],
      'the error log parses too',
    );
    const notFound = errors.filter((e) => /open\(\) .* failed/.test(e.message ?? ''));
    t.ok(notFound.length > 0, 'missing files are in the error log');
    t.ok(
      notFound.every((e) => e.source?.ip !== undefined && !e.source.ip.startsWith('127.')),
      'with the client address',
    );
  },
);
