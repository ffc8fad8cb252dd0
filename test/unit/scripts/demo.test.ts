// The demo's pieces that need no service: its flags (scripts/demo/options.js) and the
// tour's line count (scripts/demo/count.js), which must find every line's offset in a
// log read in chunks, and not count a last line nginx has not finished.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// @ts-expect-error: plain JS without types, as scripts/ are
import { parseOptions } from '../../../scripts/demo/options.js';
// @ts-expect-error: plain JS without types, as scripts/ are
import { lineOffsets } from '../../../scripts/demo/count.js';

t.test('flags and their defaults', async (t) => {
  const o = parseOptions([], { LOGPOD_DEMO_DIR: '/tmp/d' });
  t.match(o, {
    rate: 10,
    durationMs: undefined,
    tour: false,
    keepServices: false,
    stopServices: false,
    dir: '/tmp/d',
    servicesDir: '/tmp/d/services',
    kafkaPort: 29092,
    esPort: 29200,
    shopPort: 8080,
    agentPort: 8686,
    writerPort: 8687,
  });
  const p = parseOptions(['--rate', '50', '--duration=5m', '--tour', '--keep-services'], {});
  t.match(p, { rate: 50, durationMs: 300_000, tour: true, keepServices: true });
  t.equal(parseOptions(['--duration', '90'], {}).durationMs, 90_000);
  t.equal(parseOptions(['--duration', '45s'], {}).durationMs, 45_000);
  t.equal(parseOptions([], { LOGPOD_DEMO_SHOP_PORT: '18080' }).shopPort, 18080);
});

t.test('bad flags are named', async (t) => {
  t.throws(() => parseOptions(['--rate', '0'], {}), /--rate/);
  t.throws(() => parseOptions(['--rate', 'fast'], {}), /--rate/);
  t.throws(() => parseOptions(['--duration', '1h'], {}), /--duration/);
  t.throws(() => parseOptions(['--duration'], {}), /--duration/);
  t.throws(() => parseOptions(['--bogus'], {}), /unknown flag --bogus/);
  t.throws(() => parseOptions([], { LOGPOD_DEMO_KAFKA_PORT: '70000' }), /LOGPOD_DEMO_KAFKA_PORT/);
});

t.test('line offsets of a log, a partial last line left out', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'access.log');
  // Lines longer than the 1 MiB read chunk, so a line spans two reads.
  const lines = ['a', 'b'.repeat(1_500_000), '', 'c'.repeat(700_000), 'd'];
  await writeFile(file, lines.map((l) => `${l}\n`).join('') + 'partial');
  const want: number[] = [];
  let at = 0;
  for (const l of lines) {
    want.push(at);
    at += l.length + 1;
  }
  t.same(await lineOffsets(file), want);
  await writeFile(file, '');
  t.same(await lineOffsets(file), []);
});
