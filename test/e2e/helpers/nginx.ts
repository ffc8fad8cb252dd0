// A real nginx for the end-to-end suite: its own prefix in a temp dir (config,
// pid, temp paths, logs), listening on 127.0.0.1 only, run in the foreground
// as our child. It writes the access log the agent tails plus a "witness" log
// in another folder that is never rotated: the ground truth of what nginx logged.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readdir, rename, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** nginx's own `main` format (as in the official image). */
export const MAIN_LOG_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" ' +
  '$status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';

/** A custom format for the case that exercises `log_format`. */
export const CUSTOM_LOG_FORMAT =
  '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent ' +
  'rt=$request_time len=$request_length "$http_user_agent"';

export type LogFormatName = 'main' | 'custom';

export interface NginxOptions {
  /** A temp dir of the test: nginx gets <dir>/nginx, the logs <dir>/logs and <dir>/witness. */
  dir: string;
  format: LogFormatName;
  /** A log_format of the test's own, used instead of the one `format` names. */
  logFormat?: string;
}

/** A free TCP port on 127.0.0.1 (closed again before nginx binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function configText(prefix: string, logDir: string, witness: string, port: number, format: string) {
  const asRoot = process.getuid?.() === 0;
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'tmp', name)};`;
  return `${asRoot ? 'user root;\n' : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 512; }
http {
  log_format e2e '${format}';
  access_log ${join(logDir, 'access.log')} e2e;
  access_log ${witness} e2e;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  # The scripted requests choose their client address: nginx logs X-Real-IP as $remote_addr.
  set_real_ip_from 127.0.0.1;
  real_ip_header X-Real-IP;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:${port};
    root ${join(prefix, 'www')};
    location = /healthz { access_log off; return 200 "ok\\n"; }
    if ($arg_s = "404") { return 404; }
    if ($arg_s = "204") { return 204; }
    location /e2e/ { try_files /body-$arg_b.txt /index.txt; }
  }
}
`;
}

export class Nginx {
  readonly logDir: string;
  readonly accessLog: string;
  readonly witnessLog: string;
  readonly prefix: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';
  private rotations = 0;

  private constructor(
    dir: string,
    readonly format: LogFormatName,
    readonly port: number,
    private readonly logFormat?: string,
  ) {
    this.prefix = join(dir, 'nginx');
    this.logDir = join(dir, 'logs');
    this.accessLog = join(this.logDir, 'access.log');
    this.witnessLog = join(dir, 'witness', 'access.log');
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('nginx is not running');
    return this.child.pid;
  }

  static async start(options: NginxOptions): Promise<Nginx> {
    const nginx = new Nginx(options.dir, options.format, await freePort(), options.logFormat);
    await nginx.launch();
    return nginx;
  }

  private async launch(): Promise<void> {
    const { prefix } = this;
    for (const d of ['tmp', 'www'].map((n) => join(prefix, n))) await mkdir(d, { recursive: true });
    await mkdir(this.logDir, { recursive: true });
    await mkdir(join(this.witnessLog, '..'), { recursive: true });
    await writeFile(join(prefix, 'www', 'index.txt'), 'hello from nginx\n');
    await writeFile(join(prefix, 'www', 'body-big.txt'), 'x'.repeat(20_000) + '\n');
    await writeFile(join(prefix, 'www', 'body-small.txt'), 'ok\n');
    const format = this.logFormat ?? (this.format === 'main' ? MAIN_LOG_FORMAT : CUSTOM_LOG_FORMAT);
    const conf = join(prefix, 'nginx.conf');
    await writeFile(conf, configText(prefix, this.logDir, this.witnessLog, this.port, format));
    const child = spawn('nginx', ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (this.stderr += c));
    this.exited = new Promise((resolve) => child.on('close', () => resolve()));
    let spawnError: Error | undefined;
    child.on('error', (err) => (spawnError = err));
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (spawnError) throw new Error(`cannot run nginx: ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`nginx exited at start: ${this.stderr}`);
      try {
        if ((await fetch(`${this.baseUrl}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`nginx did not answer on ${this.baseUrl}: ${this.stderr}`);
  }

  /** Tells nginx to reopen its logs (what `nginx -s reopen` does: USR1 to the master). */
  async reopen(): Promise<void> {
    process.kill(this.pid, 'SIGUSR1');
    // The master reopens, then has the worker reopen: wait until the new file exists.
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      if ((await readdir(this.logDir)).includes('access.log')) return;
      await sleep(20);
    }
    throw new Error('nginx did not reopen its access log');
  }

  /** `nginx -s reopen` through nginx's own command line, for one of the rotations. */
  async signalReopen(): Promise<void> {
    const conf = join(this.prefix, 'nginx.conf');
    await new Promise<void>((resolve, reject) => {
      const c = spawn('nginx', ['-p', this.prefix, '-c', conf, '-s', 'reopen'], {
        stdio: 'ignore',
      });
      c.on('error', reject);
      c.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`nginx -s reopen: ${code}`)),
      );
    });
    const until = Date.now() + 5_000;
    while (!(await readdir(this.logDir)).includes('access.log')) {
      if (Date.now() > until) throw new Error('nginx -s reopen did not recreate the log');
      await sleep(20);
    }
  }

  /** logrotate's default: rename access.log to the next access.log.N, then reopen. */
  async rotateByRename(how: 'usr1' | 'nginx -s reopen' = 'usr1'): Promise<string> {
    const rotated = `${this.accessLog}.${++this.rotations}`;
    await rename(this.accessLog, rotated);
    if (how === 'usr1') await this.reopen();
    else await this.signalReopen();
    return rotated;
  }

  /**
   * logrotate's copytruncate: copy access.log aside, then truncate it in place. The copy
   * is read to the end of the file in chunks over about `copyMs`, as copying a
   * production-sized log takes a while; the truncate follows the last read at once.
   */
  async copyTruncate(copyMs = 500): Promise<string> {
    const copy = `${this.accessLog}.${++this.rotations}`;
    const from = await open(this.accessLog, 'r');
    const to = await open(copy, 'wx');
    try {
      const size = (await from.stat()).size;
      const chunk = Math.max(4096, Math.ceil(size / 10));
      const buf = Buffer.alloc(chunk);
      for (let pos = 0; ;) {
        const { bytesRead } = await from.read(buf, 0, chunk, pos);
        if (bytesRead === 0) break;
        await to.write(buf, 0, bytesRead);
        pos += bytesRead;
        if (bytesRead === chunk) await sleep(copyMs / 10);
      }
      await truncate(this.accessLog, 0);
    } finally {
      await from.close();
      await to.close();
    }
    return copy;
  }

  /** Stops nginx (fast shutdown, then SIGKILL); never throws. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
