import t from 'tap';
import { readFileSync } from 'node:fs';
import { packageVersion } from '../../../src/support/package-version.js';

t.test('the version is the one in package.json', async (t) => {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as {
    version: string;
  };
  t.equal(packageVersion(), pkg.version);
});
