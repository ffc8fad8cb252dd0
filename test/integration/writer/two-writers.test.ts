// Two writer processes in one consumer group share the partitions; one is
// killed with SIGKILL mid-stream; the survivor takes its partitions over and
// Elasticsearch ends with exactly N documents (redelivered ones are 409s).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { stringify } from 'yaml';
import { committedTotal, createTopic, deleteTopic } from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  produce,
  skipReason,
  waitFor,
  writerRaw,
  newWriterSetup,
} from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const built = existsSync(join(root, 'dist/cli/writer.js'));
const skip = skipReason() || (built ? false : 'dist/ is missing: run npm run build first');
const N = 4000;

function writerArgv(config: string): string[] {
  return [join(root, 'bin/logpod.js'), 'writer', '--config', config];
}

function spawnWriter(config: string): ChildProcess {
  return spawn(process.execPath, writerArgv(config), {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'warn' },
  });
}

t.test('two writers, one SIGKILLed mid-stream: exactly N documents', { skip }, async (t) => {
  const dir = t.testdir();
  const setup = newWriterSetup();
  const { topic, ns } = setup;
  await createTopic(topic, 4);
  t.teardown(() => deleteTopic(topic).catch(() => {}));
  const config = join(dir, 'writer.yaml');
  writeFileSync(config, stringify(writerRaw(setup, { batch_max_events: 100 })));
  await produce(topic, eventMessages(N / 2));

  const a = spawnWriter(config);
  const b = spawnWriter(config);
  t.teardown(() => {
    a.kill('SIGKILL');
    b.kill('SIGKILL');
  });
  const es = esClient();
  t.teardown(() => es.close());
  const pattern = `logs-*-${ns}`;
  await waitFor('writers at work', async () => (await countDocs(es, pattern)) > 0, 60_000);
  const producing = produce(topic, eventMessages(N / 2, N / 2));
  a.kill('SIGKILL');
  await producing;

  await waitFor(
    'every offset committed',
    async () => (await committedTotal(topic, setup.group)) === N,
    120_000,
  );
  const exited = new Promise<number | null>((resolve) => b.once('exit', resolve));
  b.kill('SIGTERM');
  t.equal(await exited, 0, 'the survivor stops cleanly on SIGTERM');
  t.equal(await countDocs(es, pattern), N, 'exactly N documents');
});
