import t, { type Test } from 'tap';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataDir } from '../../../src/cli/data-dir.js';
import { runCli } from '../../helpers/cli.js';

async function workdir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logpod-data-dir-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a missing data_dir is created 0700, parents included', async (t) => {
  const dir = await workdir(t);
  const umask = process.umask(0);
  t.teardown(() => process.umask(umask));
  await prepareDataDir(join(dir, 'a', 'b'));
  t.equal((await stat(join(dir, 'a', 'b'))).mode & 0o777, 0o700);
  t.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o700);
});

t.test('a data_dir writable by others is refused with a clear message', async (t) => {
  const dir = await workdir(t);
  const shared = join(dir, 'shared');
  await prepareDataDir(shared);
  await chmod(shared, 0o777);
  await t.rejects(prepareDataDir(shared), {
    code: 'CONFIG_INVALID',
    message: /data_dir .*shared is writable by other users \(mode 0777/,
  });
  await chmod(shared, 0o1777);
  await t.rejects(prepareDataDir(shared), { code: 'CONFIG_INVALID' }, 'the sticky bit too');
  await chmod(shared, 0o755);
  await t.resolves(prepareDataDir(shared), 'group and others may read');
  const file = join(dir, 'file');
  await writeFile(file, '');
  await t.rejects(prepareDataDir(file), { code: 'CONFIG_INVALID' });
});

t.test('logpod run refuses to start on a world-writable data_dir: exit 2', async (t) => {
  const dir = await workdir(t);
  const data = join(dir, 'data');
  await prepareDataDir(data);
  await chmod(data, 0o777);
  await writeFile(join(dir, 'a.log'), 'x\n');
  const res = await runCli([
    'run',
    '--input',
    join(dir, '*.log'),
    '--data-dir',
    data,
    '--output',
    `file:${join(dir, 'out.ndjson')}`,
    '--once',
  ]);
  t.equal(res.code, 2, res.stderr);
  t.match(res.stderr, /data_dir .* is writable by other users/);
  await t.rejects(stat(join(dir, 'out.ndjson')), { code: 'ENOENT' }, 'nothing was started');
});
