// Signals are honoured from the first moment: a SIGTERM while start-up still
// waits (here: the index template install, Elasticsearch unreachable) ends the
// process within shutdown.timeout, not only at SIGKILL.
import t, { type Test } from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../../helpers/cli.js';

async function workdir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logpod-startup-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const SHUTDOWN_MS = 2_000;

t.test('SIGTERM while the Elasticsearch output waits at start: exit 0 in time', async (t) => {
  const dir = await workdir(t);
  await writeFile(join(dir, 'a.log'), 'x\n');
  const config = join(dir, 'logpod.yaml');
  await writeFile(
    config,
    `data_dir: ${join(dir, 'data')}
shutdown: { timeout: ${SHUTDOWN_MS}ms }
server: { listen: 127.0.0.1:0 }
inputs: [{ id: a, paths: ['${join(dir, '*.log')}'], format: main }]
output: { elasticsearch: { hosts: ['http://127.0.0.1:1'] } }
`,
  );
  const cli = startCli(['run', '--config', config]);
  await cli.waitFor('Elasticsearch unreachable; waiting');
  const sent = Date.now();
  cli.signal('SIGTERM');
  const { code, signal, at } = await cli.exit(SHUTDOWN_MS + 10_000);
  t.equal(signal, null, 'not killed');
  t.equal(code, 0, cli.output());
  t.ok(at - sent < SHUTDOWN_MS + 1_000, `exited ${at - sent} ms after SIGTERM`);
});

t.test('SIGTERM during the writer start-up (template install waits): exit 0 in time', async (t) => {
  const cli = startCli([
    'writer',
    '--brokers',
    '127.0.0.1:1',
    '--topic',
    't',
    '--elasticsearch',
    'http://127.0.0.1:1',
    '--listen',
    '127.0.0.1:0',
  ]);
  await cli.waitFor('Elasticsearch unreachable; waiting');
  const sent = Date.now();
  cli.signal('SIGTERM');
  const { code, at } = await cli.exit(30_000);
  t.equal(code, 0, cli.output());
  t.ok(at - sent < 25_000 + 1_000, `exited ${at - sent} ms after SIGTERM`);
});
