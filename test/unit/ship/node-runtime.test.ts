// One Node.js everywhere: the version npm scripts and tests run on (the pinned
// `node` dev dependency), `engines`, `@types/node`, the image, the compose
// stack's Node services and the README name the same release, and the install
// scripts npm may run are exactly the ones package.json decides on.
import t from 'tap';
import { DockerfileParser } from 'dockerfile-ast';
import { readText, readYaml } from './ship-helpers.js';

interface PackageJson {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
interface Lockfile {
  packages: Record<string, { hasInstallScript?: boolean; dev?: boolean; optional?: boolean }>;
}

const pkg = JSON.parse(readText('package.json')) as PackageJson;
const pinned = pkg.devDependencies.node;
const major = pinned?.split('.')[0];

t.test('npm scripts run on an exactly pinned Node, the one this test runs on', async (t) => {
  t.match(pinned, /^\d+\.\d+\.\d+$/, 'an exact version, so every machine runs the same');
  t.ok(Number(major) >= 24, `a supported LTS major (${major})`);
  t.equal(process.version, `v${pinned}`, 'the tests run on it');
});

t.test('engines and @types/node say the same major', async (t) => {
  t.equal(pkg.engines.node, `>=${major}`);
  t.match(pkg.devDependencies['@types/node'], new RegExp(`^\\^${major}\\.`));
});

t.test('the image and the compose stack run that same Node release', async (t) => {
  const froms = DockerfileParser.parse(readText('docker', 'Dockerfile'))
    .getFROMs()
    .map((from) => from.getArguments()[0].getValue())
    .filter((image) => image.startsWith('node:'));
  t.ok(froms.length > 0, 'a Node base image');
  for (const image of froms) t.match(image, new RegExp(`^node:${pinned}-`), image);
  const compose = readYaml('docker', 'docker-compose.yml') as {
    services: Record<string, { image?: string }>;
  };
  const nodeImages = Object.values(compose.services)
    .map((s) => s.image ?? '')
    .filter((image) => image.startsWith('node:'));
  t.ok(nodeImages.length > 0, 'the compose file has a Node service');
  for (const image of nodeImages) t.match(image, new RegExp(`^node:${pinned}-`), image);
});

t.test('the README names that Node for the image and the set-up', async (t) => {
  const readme = readText('README.md');
  t.match(readme, new RegExp(`It is Node ${major} on Debian\\s+slim \\(\`node:${pinned}-`));
  t.match(readme, new RegExp(`logpod's own Node \\(${pinned},`));
  t.notMatch(readme, /zstd-napi/, 'no word of the dropped addon');
});

t.test('allowScripts decides on every dependency with an install script', async (t) => {
  const lock = JSON.parse(readText('package-lock.json')) as Lockfile;
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
  t.same(withScripts, Object.keys(pkg.allowScripts ?? {}).sort());
  t.equal(pkg.allowScripts?.node, true, "the pinned Node's download must run");
  const production = Object.entries(lock.packages).filter(
    ([path, entry]) => path !== '' && !entry.dev && entry.hasInstallScript,
  );
  t.same(production, [], 'no production dependency has one (the image installs without scripts)');
});
