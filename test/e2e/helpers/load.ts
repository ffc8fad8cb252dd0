// Traffic for the end-to-end suite, to 127.0.0.1 only and bounded in time:
// wrk (when installed) paced by a Lua delay, each request with its own id in
// the URL (/e2e/<case>/w<thread>-<n>), plus scripted requests (/e2e/<case>/s<n>)
// that vary what ends up in the log: method, status, body size, client address,
// user agent, referrer, X-Forwarded-For. Without wrk (or with
// LOGPOD_E2E_LOAD_TOOL=node) a small Node loop stands in.

import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOptions {
  baseUrl: string;
  /** The case name: every URL is /e2e/<caseName>/... */
  caseName: string;
  seconds: number;
  /** Where wrk's Lua script goes. */
  dir: string;
  /** Concurrent connections of the load tool. Default 4. */
  connections?: number;
  /** Pause of each connection between two requests, ms. Default 5 (about 600 requests/s). */
  pauseMs?: number;
  /** Stops the load early (a failing case's teardown). */
  signal?: AbortSignal;
}

export interface LoadResult {
  tool: 'wrk' | 'node';
  scripted: number;
}

const WRK_SCRIPT = `local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  prefix = "/e2e/" .. args[1] .. "/w" .. tid .. "-"
  pause = tonumber(args[2])
  counter = 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", prefix .. counter .. "?load=wrk")
end
function delay()
  return pause
end
`;

let wrkChecked: boolean | undefined;
export function wrkAvailable(): boolean {
  wrkChecked ??= spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  return wrkChecked;
}

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'curl/8.5.0',
  'e2e-bot "quoted" \u00fcn\u00efc\u00f6de/1.0',
];

interface Scripted {
  method: string;
  path: string;
  headers: Record<string, string>;
}

/** The n-th scripted request: a deterministic mix of what nginx logs differently. */
export function scriptedRequest(caseName: string, n: number): Scripted {
  const query = [`q=${n}`, 'x=a%20b'];
  if (n % 7 === 3) query.push('s=404');
  else if (n % 11 === 5) query.push('s=204');
  else if (n % 5 === 1) query.push('b=big');
  else if (n % 5 === 2) query.push('b=small');
  const headers: Record<string, string> = {
    // Header strings go out as latin1: re-encode so nginx receives UTF-8 bytes.
    'user-agent': Buffer.from(USER_AGENTS[n % USER_AGENTS.length], 'utf8').toString('latin1'),
    'x-real-ip': n % 4 === 0 ? `2001:db8::${(n % 65535).toString(16)}` : `198.51.100.${n % 254}`,
  };
  if (n % 3 === 0) headers.referer = `https://example.com/from/${n}?ref=e2e`;
  if (n % 6 === 1) headers['x-forwarded-for'] = `203.0.113.${n % 200}, 10.0.0.1`;
  const method = n % 13 === 4 ? 'POST' : n % 9 === 2 ? 'HEAD' : 'GET';
  return { method, path: `/e2e/${caseName}/s${n}?${query.join('&')}`, headers };
}

function send(agent: Agent, baseUrl: string, r: Scripted): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      `${baseUrl}${r.path}`,
      { method: r.method, headers: r.headers, agent, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', () => resolve());
      },
    );
    // A failed request is simply not in nginx's log: the log is the truth, not this count.
    req.on('error', () => resolve());
    req.on('timeout', () => req.destroy());
    req.end(r.method === 'POST' ? 'field=value' : undefined);
  });
}

async function scriptedLoop(o: LoadOptions, until: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let n = 0;
  try {
    while (Date.now() < until && !o.signal?.aborted) {
      await send(agent, o.baseUrl, scriptedRequest(o.caseName, n++));
      await sleep(20);
    }
  } finally {
    agent.destroy();
  }
  return n;
}

async function nodeLoad(o: LoadOptions, until: number): Promise<void> {
  const connections = o.connections ?? 4;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const headers = { 'user-agent': 'e2e-node-load' };
      try {
        for (let n = 1; Date.now() < until && !o.signal?.aborted; n++) {
          const path = `/e2e/${o.caseName}/w${c}-${n}?load=node`;
          await send(agent, o.baseUrl, { method: 'GET', path, headers });
          await sleep(o.pauseMs ?? 5);
        }
      } finally {
        agent.destroy();
      }
    }),
  );
}

async function wrkLoad(o: LoadOptions): Promise<void> {
  const script = join(o.dir, 'load.lua');
  await writeFile(script, WRK_SCRIPT);
  const connections = o.connections ?? 4;
  const args = [
    `-t${Math.min(2, connections)}`,
    `-c${connections}`,
    `-d${o.seconds}s`,
    '--timeout',
    '5s',
    '-s',
    script,
    o.baseUrl,
    '--',
    o.caseName,
    String(o.pauseMs ?? 5),
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    // wrk runs for -d seconds; this bound only guards against a hang.
    const guard = setTimeout(() => child.kill('SIGKILL'), (o.seconds + 15) * 1000);
    const abort = () => child.kill('SIGKILL');
    o.signal?.addEventListener('abort', abort);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      o.signal?.removeEventListener('abort', abort);
      if (o.signal?.aborted) return resolve();
      if (code === 0) resolve();
      else reject(new Error(`wrk exited with ${code}: ${err}`));
    });
  });
}

/** Runs the load tool and the scripted requests side by side for `seconds`. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const until = Date.now() + o.seconds * 1000;
  const tool = process.env.LOGPOD_E2E_LOAD_TOOL !== 'node' && wrkAvailable() ? 'wrk' : 'node';
  const [, scripted] = await Promise.all([
    tool === 'wrk' ? wrkLoad(o) : nodeLoad(o, until),
    scriptedLoop(o, until),
  ]);
  return { tool, scripted };
}
