// The writer's probes against the real services: startup 200 once connected,
// readiness 503 while Elasticsearch is stopped and 200 again after, while
// liveness stays 200 throughout (a restart would not bring Elasticsearch back).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import {
  createTopic,
  deleteTopic,
  startElasticsearch,
  stopElasticsearch,
} from '../../services/index.js';
import { newWriterSetup, skipReason, waitFor, writerRaw } from './helpers.js';

const skip =
  skipReason() ||
  (process.env.LOGPOD_TEST_ES ? 'stops Elasticsearch: only with the harness-run one' : false);

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
}

t.test('readiness follows Elasticsearch; liveness does not', { skip }, async (t) => {
  const dir = t.testdir();
  const setup = newWriterSetup('ready-');
  const topic = setup.topic;
  await createTopic(topic, 1);
  t.teardown(() => deleteTopic(topic).catch(() => {}));
  const raw = writerRaw(setup);
  raw.server = { enabled: true, listen: '127.0.0.1:0' };
  const config = join(dir, 'writer.yaml');
  writeFileSync(config, stringify(raw));

  const child = spawn(process.execPath, [LOGPOD_BIN, 'writer', '--config', config], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info' },
  });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /"address":"([^"]+)","msg":"probe server listening"/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`writer exited:\n${out}`)));
  });
  const base = `http://${address}`;
  await waitFor('startup', async () => (await status(`${base}/startupz`)) === 200);
  await waitFor('ready', async () => (await status(`${base}/readyz`)) === 200, 30_000);
  t.pass('startup 200 and ready once connected');

  await stopElasticsearch();
  try {
    await waitFor('not ready', async () => (await status(`${base}/readyz`)) === 503, 30_000);
    t.pass('readiness 503 while Elasticsearch is stopped');
    t.equal(await status(`${base}/livez`), 200, 'liveness stays 200: a restart would not help');
  } finally {
    await startElasticsearch();
  }
  await waitFor('ready again', async () => (await status(`${base}/readyz`)) === 200, 60_000);
  t.pass('readiness 200 again once Elasticsearch is back');
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  t.equal(code, 0, 'clean exit on SIGTERM');
});
