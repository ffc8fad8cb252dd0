// The dashboard tests load the bundled page from dist/dashboard/public. `npm run build`
// makes it; when a test runs without that, it bundles the page itself (esbuild, < 1 s).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { REPO_ROOT } from '../../helpers/cli.js';

export function ensureDashboardBuilt(t: Test): void {
  if (existsSync(join(REPO_ROOT, 'dist/dashboard/public/index.html'))) return;
  t.comment('dist/dashboard/public missing: running node scripts/build-dashboard.js');
  const built = spawnSync(process.execPath, ['scripts/build-dashboard.js'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the dashboard failed:\n${built.stderr}`);
}
