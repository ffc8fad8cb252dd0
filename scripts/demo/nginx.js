// nginx for the demo: Debian's /usr/sbin/nginx (installed with apt-get when it is
// missing and the demo runs as root), in the foreground as the demo's child, with
// its own prefix under .demo/nginx: a small shop on 127.0.0.1, the access log in
// nginx's `main` format and the error log in .demo/logs, where the agent reads them.
// The traffic generator stands in for a load balancer: nginx takes the client's
// address from X-Forwarded-For when the request comes from 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Finds nginx, installing it as root; throws with what to do otherwise. */
export function findNginx(say) {
  const which = () =>
    ['/usr/sbin/nginx', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'nginx'))].find(
      (p) => p && existsSync(p),
    );
  const found = which();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'nginx is not installed: sudo apt-get install nginx-light (or run the demo as root, ' +
        'which installs it)',
    );
  }
  say('nginx: not installed, apt-get install nginx-light');
  const apt = (...args) => spawnSync('apt-get', args, { stdio: 'inherit' }).status === 0;
  const quiet = ['install', '-y', '-qq', '--no-install-recommends'];
  if (!(apt('update', '-qq') && (apt(...quiet, 'nginx-light') || apt(...quiet, 'nginx'))))
    throw new Error('nginx is not installed and apt-get could not install it');
  const installed = which();
  if (!installed) throw new Error('apt-get installed nginx, but no nginx binary was found');
  return installed;
}

function configText({ prefix, logDir, port }) {
  const temp = (name) => `${name}_temp_path ${join(prefix, 'tmp', name)};`;
  const html = (title, body) =>
    `"<!doctype html><title>${title}</title><link rel=stylesheet href=/static/shop.css>${body}\\n"`;
  return `# Written by the demo (scripts/demo/nginx.js) at every start.
${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(logDir, 'error.log')} notice;
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  # \`main\`, exactly as in nginx's official image: what logpod's \`format: main\` reads.
  log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                  '$status $body_bytes_sent "$http_referer" '
                  '"$http_user_agent" "$http_x_forwarded_for"';
  access_log ${join(logDir, 'access.log')} main;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  set_real_ip_from 127.0.0.1;
  real_ip_header X-Forwarded-For;
  real_ip_recursive on;
  keepalive_requests 100000;
  server_tokens off;
  server {
    listen 127.0.0.1:${port};
    root ${join(prefix, 'www')};
    location = /healthz { access_log off; default_type text/plain; return 200 "ok\\n"; }
    location = / { default_type text/html; return 200 ${html('shop', '<h1>Welcome to the shop</h1><a href=/products>products</a>')}; }
    location = /index.html { default_type text/html; return 200 ${html('shop', '<h1>Welcome to the shop</h1>')}; }
    location /products { default_type text/html; return 200 ${html('product', '<p>$uri</p>')}; }
    location = /search { default_type text/html; return 200 ${html('search', '<p>results for $arg_q</p>')}; }
    location /static/ { default_type application/javascript; return 200 "console.log('shop');\\n"; }
    location = /api/cart { default_type application/json; return 200 '{"items":3}\\n'; }
    location = /api/checkout {
      default_type application/json;
      if ($request_method = POST) { return 201 '{"order":"created"}\\n'; }
      return 405;
    }
    location = /api/recommendations { return 500; }
    location = /api/inventory { return 503; }
    location /catalog/ { rewrite ^/catalog/(.*)$ /products/$1 permanent; }
    location /admin { return 403; }
    # Anything else is a file on disk: a missing one is a 404 and an error-log line.
    location / { log_not_found on; }
  }
}
`;
}

/** Writes the prefix (config, temp dirs, site); returns nginx's argv. */
export async function prepareNginx({ dir, logDir, port }) {
  const prefix = join(dir, 'nginx');
  for (const d of ['tmp', 'www'].map((n) => join(prefix, n))) await mkdir(d, { recursive: true });
  await writeFile(join(prefix, 'www', 'robots.txt'), 'User-agent: *\nAllow: /\n');
  const conf = join(prefix, 'nginx.conf');
  await writeFile(conf, configText({ prefix, logDir, port }));
  return ['-p', prefix, '-c', conf, '-e', join(logDir, 'error.log')];
}
