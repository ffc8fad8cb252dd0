import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { scratchDir } from '../../helpers/testdir.js';
import { pino } from 'pino';
import {
  dedot,
  KubernetesEnricher,
  readKubernetesMetadata,
  type KubernetesOptions,
} from '../../../src/enrich/kubernetes.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const logs: Record<string, unknown>[] = [];
const logger = pino({ level: 'debug' }, { write: (l: string) => void logs.push(JSON.parse(l)) });

function options(labelsFile: string): KubernetesOptions {
  return {
    podNameEnv: 'POD_NAME',
    namespaceEnv: 'POD_NAMESPACE',
    nodeNameEnv: 'NODE_NAME',
    containerNameEnv: 'CONTAINER_NAME',
    labelsFile,
  };
}

function tempDir(t: Test): string {
  const dir = scratchDir(t);
  return dir;
}

t.test('environment and labels file, as the downward API provides them', async (t) => {
  const dir = tempDir(t);
  const labels = join(dir, 'labels');
  writeFileSync(labels, 'app="shop"\napp.kubernetes.io/version="1.2.3"\nnote="say \\"hi\\""');
  const meta = readKubernetesMetadata(
    options(labels),
    {
      POD_NAME: 'shop-7d9f5c6b8-x2x9q',
      POD_NAMESPACE: 'prod',
      NODE_NAME: 'node-3',
      CONTAINER_NAME: 'nginx',
    },
    logger,
  );
  t.same(meta, {
    pod: { name: 'shop-7d9f5c6b8-x2x9q' },
    namespace: 'prod',
    node: { name: 'node-3' },
    container: { name: 'nginx' },
    labels: { app: 'shop', 'app_kubernetes_io/version': '1.2.3', note: 'say "hi"' },
  });
  t.ok(Object.isFrozen(meta) && Object.isFrozen(meta?.labels) && Object.isFrozen(meta?.pod));
});

t.test('configurable variable names; what is missing is absent', async (t) => {
  const meta = readKubernetesMetadata(
    { ...options(''), podNameEnv: 'MY_POD' },
    { MY_POD: 'p1', POD_NAME: 'ignored', POD_NAMESPACE: 'ns', NODE_NAME: '' },
    logger,
  );
  t.same(meta, { pod: { name: 'p1' }, namespace: 'ns' });
});

t.test(
  'not in Kubernetes: nothing at all, and a missing labels file is not a warning',
  async (t) => {
    logs.length = 0;
    t.equal(readKubernetesMetadata(options('/nonexistent/podinfo/labels'), {}, logger), undefined);
    t.equal(logs.filter((l) => (l.level as number) >= 40).length, 0);
  },
);

t.test('a stray CONTAINER_NAME or NODE_NAME on a laptop is not a pod', async (t) => {
  const dir = tempDir(t);
  const labels = join(dir, 'labels');
  writeFileSync(labels, 'app="shop"\n');
  for (const env of [
    { CONTAINER_NAME: 'nginx' },
    { CONTAINER_NAME: 'nginx', NODE_NAME: 'laptop' },
    { POD_NAME: 'p', CONTAINER_NAME: 'nginx' },
    { POD_NAMESPACE: 'ns', CONTAINER_NAME: 'nginx' },
    { POD_NAME: 'p', POD_NAMESPACE: '' },
  ]) {
    t.equal(readKubernetesMetadata(options(labels), env, logger), undefined, JSON.stringify(env));
  }
  t.same(
    readKubernetesMetadata(
      options(labels),
      { POD_NAME: 'p', POD_NAMESPACE: 'ns', CONTAINER_NAME: 'nginx' },
      logger,
    ),
    { pod: { name: 'p' }, namespace: 'ns', container: { name: 'nginx' }, labels: { app: 'shop' } },
    'with both downward-API variables it is',
  );
});

t.test('an unreadable labels file is a warning; bad lines are counted', async (t) => {
  const dir = tempDir(t);
  const pod = { POD_NAME: 'p', POD_NAMESPACE: 'ns' };
  logs.length = 0;
  t.same(readKubernetesMetadata(options(dir), pod, logger), {
    pod: { name: 'p' },
    namespace: 'ns',
  });
  t.equal(logs.filter((l) => l.level === 40).length, 1, 'a directory is not a labels file');
  const labels = join(dir, 'labels');
  writeFileSync(labels, 'good="1"\nbad line\n');
  logs.length = 0;
  const meta = readKubernetesMetadata(options(labels), pod, logger);
  t.same(meta, { pod: { name: 'p' }, namespace: 'ns', labels: { good: '1' } });
  t.equal(logs.find((l) => l.level === 40)?.skipped, 1);
});

t.test('every event gets the same object; fields from the input are kept', async (t) => {
  const meta = readKubernetesMetadata(options(''), { POD_NAME: 'p', POD_NAMESPACE: 'ns' }, logger);
  if (meta === undefined) throw new Error('no metadata');
  const enricher = new KubernetesEnricher(meta);
  const a: EcsEvent = { event: { original: 'a' } };
  const b: EcsEvent = { event: { original: 'b' } };
  enricher.enrich(a);
  enricher.enrich(b);
  t.equal(a.kubernetes, meta);
  t.equal(b.kubernetes, meta);
  const own: EcsEvent = {
    event: { original: 'c' },
    kubernetes: { cluster: 'eu-1', namespace: 'mine' },
  };
  enricher.enrich(own);
  t.same(own.kubernetes, { cluster: 'eu-1', namespace: 'mine', pod: { name: 'p' } });
  t.not((own.kubernetes as { pod: unknown }).pod, meta.pod, 'merged as a copy');
  t.same(meta, { pod: { name: 'p' }, namespace: 'ns' }, 'the shared object is unchanged');
});

t.test('dedot', async (t) => {
  t.equal(dedot('app'), 'app');
  t.equal(dedot('app.kubernetes.io/name'), 'app_kubernetes_io/name');
});
