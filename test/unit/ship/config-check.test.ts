// Every logpod config shipped under docker/ and examples/ passes `logpod check`
// (the real CLI, as a subprocess), with the environment its container gets:
// plain files, configs inside Kubernetes ConfigMaps, and the image's own
// configs with the environment docker-compose.yml gives them.
import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import t from 'tap';
import { parse, parseAllDocuments } from 'yaml';
import { LOGPOD_BIN } from '../../helpers/cli.js';
import { readText, readYaml, repoPath, REPO_ROOT } from './ship-helpers.js';

interface Checked {
  name: string;
  text: string;
  env: Record<string, string>;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string };
  };
}

interface Container {
  name: string;
  env?: EnvVar[];
  volumeMounts?: { name: string }[];
}

/** What the downward API would hand a container, for the fields the manifests use. */
const FIELD_SAMPLES: Record<string, string> = {
  'metadata.name': 'shop-web-7d9f8-abcde',
  'metadata.namespace': 'shop',
  'metadata.uid': '0f8e6c5a-0000-4000-8000-000000000000',
  'spec.nodeName': 'node-1',
  'status.podIP': '10.1.2.3',
};

/** What a secretKeyRef reads: the value examples/kubernetes/secrets.yaml gives it. */
function secretValue(ref: { name: string; key: string }): string {
  const docs = parseAllDocuments(readText('examples', 'kubernetes', 'secrets.yaml')).map(
    (d) => d.toJS() as { kind: string; metadata: { name: string }; stringData?: object },
  );
  const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === ref.name);
  return (secret?.stringData as Record<string, string> | undefined)?.[ref.key] ?? '';
}

function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    const secret = e.valueFrom?.secretKeyRef;
    env[e.name] =
      path !== undefined
        ? (FIELD_SAMPLES[path] ?? 'sample')
        : secret !== undefined
          ? secretValue(secret)
          : (e.value ?? '');
  }
  return env;
}

function isLogpodConfig(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return 'output' in value || 'writer' in value || 'inputs' in value;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Each ConfigMap entry that is a logpod config, with the env of the container mounting it. */
function fromManifest(file: string, text: string): Checked[] {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, never>);
  const containers: {
    container: Container;
    volumes: { name: string; configMap?: { name: string } }[];
  }[] = [];
  for (const doc of docs) {
    const spec =
      doc.kind === 'Pod'
        ? doc.spec
        : doc.kind === 'Deployment'
          ? doc.spec?.['template']?.['spec']
          : undefined;
    if (spec === undefined) continue;
    for (const container of [...(spec['initContainers'] ?? []), ...(spec['containers'] ?? [])]) {
      containers.push({ container, volumes: spec['volumes'] ?? [] });
    }
  }
  const out: Checked[] = [];
  for (const doc of docs.filter((d) => d.kind === 'ConfigMap')) {
    const mapName = (doc.metadata as { name: string }).name;
    for (const [key, value] of Object.entries((doc.data ?? {}) as Record<string, string>)) {
      if (!/\.ya?ml$/.test(key) || !isLogpodConfig(parse(value))) continue;
      const user = containers.find(({ container, volumes }) =>
        container.volumeMounts?.some((m) =>
          volumes.some((v) => v.name === m.name && v.configMap?.name === mapName),
        ),
      );
      out.push({
        name: `${file} (ConfigMap ${mapName}, ${key})`,
        text: value,
        env: user === undefined ? {} : containerEnv(user.container),
      });
    }
  }
  return out;
}

async function shippedConfigs(): Promise<Checked[]> {
  const out: Checked[] = [];
  for (const path of [
    ...(await yamlFiles(repoPath('docker'))),
    ...(await yamlFiles(repoPath('examples'))),
  ]) {
    const file = relative(REPO_ROOT, path);
    const text = readText(file);
    const first = parseAllDocuments(text)[0]?.toJS() as Record<string, unknown> | null;
    if (first !== null && typeof first === 'object' && 'services' in first) continue; // compose
    if (first !== null && typeof first === 'object' && 'apiVersion' in first) {
      out.push(...fromManifest(file, text));
    } else {
      out.push({ name: file, text, env: {} });
    }
  }
  // The image's configs, with the environment the demo stack gives each service.
  const compose = readYaml('docker', 'docker-compose.yml') as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  for (const [service, config] of [
    ['logpod-agent', 'agent.yaml'],
    ['logpod-writer', 'writer.yaml'],
  ]) {
    out.push({
      name: `config/${config} in docker-compose.yml ${service}`,
      text: readText('config', config),
      env: Object.fromEntries(
        Object.entries(compose.services[service].environment ?? {}).map(([k, v]) => [k, String(v)]),
      ),
    });
  }
  return out;
}

/** `logpod check` with exactly `env` (and PATH): nothing leaks in from the test's shell. */
async function check(dir: string, c: Checked): Promise<{ code: number; output: string }> {
  const file = join(dir, `${c.name.replace(/[^A-Za-z0-9]+/g, '_')}.yaml`);
  // Awaited: a config that could not be written fails the test instead of hanging it.
  await writeFile(file, c.text);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LOGPOD_BIN, 'check', '--config', file],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...c.env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

t.test('every shipped logpod config passes logpod check', async (t) => {
  const dir = t.testdir();
  const configs = await shippedConfigs();
  const names = configs.map((c) => c.name);
  t.ok(
    names.some((n) => n.startsWith('examples/standalone/')),
    'the standalone example',
  );
  t.ok(names.filter((n) => n.includes('ConfigMap')).length >= 4, 'the ConfigMaps');
  const results = await Promise.all(configs.map((c) => check(dir, c)));
  configs.forEach((c, i) => {
    t.equal(results[i].code, 0, c.name, { output: results[i].output });
    t.match(results[i].output, /: valid\n/, `${c.name} is reported valid`);
  });
});

t.test('a pod without the downward API variables would not start', async (t) => {
  const dir = t.testdir();
  const sidecar = fromManifest(
    'nginx-native-sidecar.yaml',
    readText('examples', 'kubernetes', 'nginx-native-sidecar.yaml'),
  )[0];
  const { NODE_NAME: _, ...env } = sidecar.env;
  const res = await check(dir, { ...sidecar, env });
  t.equal(res.code, 2, 'a config error');
  t.match(res.output, /NODE_NAME/, 'naming the missing variable');
});
