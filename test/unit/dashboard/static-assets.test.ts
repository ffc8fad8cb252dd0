import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_ASSET_DIR, DashboardAssets } from '../../../src/dashboard/static-assets.js';

t.test(
  'reads a built asset once and keeps it; unknown names and missing files are undefined',
  async (t) => {
    const dir = t.testdir();
    await writeFile(join(dir, 'dashboard.js'), 'one');
    await writeFile(join(dir, 'secret.txt'), 'no');
    const assets = new DashboardAssets(pathToFileURL(`${dir}/`));
    t.equal(assets.get('dashboard.js')!.body.toString(), 'one');
    await writeFile(join(dir, 'dashboard.js'), 'two');
    t.equal(assets.get('dashboard.js')!.body.toString(), 'one', 'kept from the first read');
    t.equal(assets.get('dashboard.css'), undefined, 'not built');
    t.equal(assets.get('secret.txt'), undefined, 'only the page assets are served');
  },
);

t.test(
  'the default directory is dist/dashboard/public, from src/ and from dist/ alike',
  async (t) => {
    t.match(fileURLToPath(DEFAULT_ASSET_DIR), /[/\\]dist[/\\]dashboard[/\\]public[/\\]$/);
  },
);
