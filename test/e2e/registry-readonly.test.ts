// The registry directory made unwritable for 10 s under load. chmod alone does
// not stop root (CI runs as root), so the write is blocked the way the
// file-input tests do it: the directory is moved aside and a file stands in
// its place (the temp file has a random name: nothing can be planted for it).
// The agent must log a clear error (rate-limited), keep shipping, write the
// registry again once it can, and lose or repeat nothing.
import t from 'tap';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { countDocs } from './helpers/es-check.js';
import { e2eSkip, startCase } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

interface Registry {
  savedAt: string;
  entries: { path: string; offset: number; detached: boolean }[];
}

async function readRegistry(dir: string): Promise<Registry> {
  return JSON.parse(await readFile(join(dir, 'registry.json'), 'utf8')) as Registry;
}

const aside = (dir: string) => `${dir}.aside`;

async function block(dir: string): Promise<void> {
  await rename(dir, aside(dir));
  await writeFile(dir, '');
}

async function unblock(dir: string): Promise<void> {
  if (!(await stat(dir)).isFile()) return;
  await rm(dir);
  await rename(aside(dir), dir);
}

t.test('registry directory unwritable for 10 s, under load', { skip: e2eSkip() }, async (t) => {
  const c = await startCase(t, { name: 'registry-readonly' });
  const dir = c.registryDir;
  t.teardown(() => unblock(dir).catch(() => {}));
  const load = c.load(24);
  await sleep(5_000);

  await block(dir);
  await sleep(2_000);
  const frozen = await readRegistry(aside(dir));
  const docsBefore = await countDocs(c.es, c.indexPattern);
  await sleep(8_000);
  t.equal(
    (await readRegistry(aside(dir))).savedAt,
    frozen.savedAt,
    'the registry could not be written',
  );
  const docsDuring = await countDocs(c.es, c.indexPattern);
  t.ok(docsDuring! > docsBefore!, `shipping went on meanwhile (${docsBefore} -> ${docsDuring})`);
  const errors = c.agent.logs
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string | number; msg: string; err?: { code?: string } })
    .filter((r) => r.msg.includes('cannot write the registry'));
  t.ok(errors.length >= 1, 'the agent logged that it cannot write the registry');
  t.ok(errors.length <= 2, `...rate-limited: ${errors.length} line(s) for ~8 failed writes`);
  t.ok(['error', 50].includes(errors[0]?.level), 'at error level');
  t.match(
    errors[0]?.err?.code,
    /^(ENOTDIR|EISDIR|EACCES|EPERM|EROFS)$/,
    'with the system error code',
  );

  await unblock(dir);
  const unblockedAt = Date.now();
  while ((await readRegistry(dir)).savedAt === frozen.savedAt) {
    if (Date.now() - unblockedAt > 10_000) break;
    await sleep(100);
  }
  t.not((await readRegistry(dir)).savedAt, frozen.savedAt, 'the registry is written again');
  t.ok(c.agent.running, 'the agent kept running');
  await load;
  await verifyCase(t, c, { since: Date.now() });

  // After the clean stop, the saved position of the live file is its end.
  const saved = await readRegistry(dir);
  const live = saved.entries.find((e) => e.path === c.nginx.accessLog && !e.detached);
  t.equal(live?.offset, (await stat(c.nginx.accessLog)).size, 'registry offset = end of the log');
});
