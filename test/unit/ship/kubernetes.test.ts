// examples/kubernetes: every manifest valid against the Kubernetes schemas
// (kubernetes-models), and the pod doing what the README says: logpod beside
// nginx on one emptyDir, probes on the probe server, locked down, pod metadata
// from the downward API, a grace period that covers the shutdown deadline.
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap, Pod } from 'kubernetes-models/v1';
import { parseDuration } from '../../../src/config/units.js';
import { readText, readYaml, readYamlDocuments } from './ship-helpers.js';

/* The parts of the Kubernetes types these checks read. */
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  restartPolicy?: string;
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  emptyDir?: object;
  configMap?: { name: string };
  downwardAPI?: { items: { path: string; fieldRef: { fieldPath: string } }[] };
  [type: string]: unknown;
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean };
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: { replicas?: number; template?: { spec: PodSpec } } & Partial<PodSpec>;
  data?: Record<string, string>;
}

const FILES = [
  'nginx-native-sidecar.yaml',
  'nginx-two-containers.yaml',
  'writer.yaml',
  'podman-pod.yaml',
];

function manifests(file: string): Manifest[] {
  return readYamlDocuments('examples', 'kubernetes', file) as unknown as Manifest[];
}

function model(doc: Manifest): { validate(): void } {
  switch (doc.kind) {
    case 'Deployment':
      return new Deployment(doc as unknown as ConstructorParameters<typeof Deployment>[0]);
    case 'Pod':
      return new Pod(doc as unknown as ConstructorParameters<typeof Pod>[0]);
    case 'ConfigMap':
      return new ConfigMap(doc as unknown as ConstructorParameters<typeof ConfigMap>[0]);
    default:
      throw new Error(`no model for kind ${doc.kind}`);
  }
}

function podSpec(docs: Manifest[]): PodSpec {
  const workload = docs.find((d) => d.kind === 'Deployment' || d.kind === 'Pod')!;
  return (workload.kind === 'Pod' ? workload.spec : workload.spec!.template!.spec) as PodSpec;
}

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function logpodContainer(spec: PodSpec): Container {
  return allContainers(spec).find((c) => /logpod/.test(c.image))!;
}

/** The logpod config a container runs: the ConfigMap key behind its --config path. */
function configOf(docs: Manifest[], spec: PodSpec, container: Container) {
  const path = container.args![container.args!.indexOf('--config') + 1];
  const dir = path.slice(0, path.lastIndexOf('/'));
  const mount = container.volumeMounts!.find((m) => m.mountPath === dir)!;
  const volume = spec.volumes!.find((v) => v.name === mount.name)!;
  const map = docs.find(
    (d) => d.kind === 'ConfigMap' && d.metadata.name === volume.configMap!.name,
  )!;
  const text = map.data![path.slice(dir.length + 1)];
  return { text, config: parseYaml(text) as Record<string, unknown> };
}

function probePort(container: Container, probe: Probe | undefined): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function listenPort(config: Record<string, unknown>): number {
  const listen = (config.server as { listen: string }).listen;
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

t.test('every manifest is valid against the Kubernetes schemas', async (t) => {
  for (const file of FILES) {
    for (const doc of manifests(file)) {
      t.doesNotThrow(() => model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`);
    }
  }
});

t.test('the schema check catches a malformed manifest', async (t) => {
  const docs = manifests('nginx-native-sidecar.yaml');
  const broken = structuredClone(docs.find((d) => d.kind === 'Deployment')!);
  (
    broken.spec!.template!.spec.initContainers![0].livenessProbe as Record<string, unknown>
  ).periodSeconds = 'often';
  t.throws(() => model(broken).validate(), /periodSeconds/);
});

t.test('images are pinned: a tag, never latest', async (t) => {
  for (const file of FILES) {
    for (const container of allContainers(podSpec(manifests(file)))) {
      const tag = container.image.slice(container.image.lastIndexOf(':') + 1);
      t.ok(container.image.includes(':') && !tag.includes('/'), `${file}: ${container.image}`);
      t.not(tag, 'latest', `${file}: ${container.image} is not latest`);
    }
  }
});

t.test('native sidecar: logpod is an init container that keeps running', async (t) => {
  const spec = podSpec(manifests('nginx-native-sidecar.yaml'));
  t.same(
    spec.initContainers?.map((c) => [c.name, c.restartPolicy]),
    [['logpod', 'Always']],
  );
  t.same(
    spec.containers.map((c) => c.name),
    ['nginx'],
  );
  t.ok(spec.initContainers![0].startupProbe, 'its startup probe gates nginx');
});

t.test('classic sidecar: two regular containers, logpod stops a little later', async (t) => {
  const spec = podSpec(manifests('nginx-two-containers.yaml'));
  t.same(spec.initContainers ?? [], []);
  t.same(spec.containers.map((c) => c.name).sort(), ['logpod', 'nginx']);
  t.same(logpodContainer(spec).lifecycle?.preStop?.exec?.command.slice(0, 1), ['sleep']);
});

for (const file of ['nginx-native-sidecar.yaml', 'nginx-two-containers.yaml']) {
  t.test(`${file}: nginx and logpod share the log volume`, async (t) => {
    const docs = manifests(file);
    const spec = podSpec(docs);
    const logpod = logpodContainer(spec);
    const nginx = spec.containers.find((c) => c.name === 'nginx')!;
    const { config } = configOf(docs, spec, logpod);
    const nginxLogs = nginx.volumeMounts!.find((m) => m.mountPath === '/var/log/nginx')!;
    t.ok(nginxLogs, 'nginx writes its logs to a volume');
    t.ok(spec.volumes!.find((v) => v.name === nginxLogs.name)?.emptyDir, 'an emptyDir');
    const logpodLogs = logpod.volumeMounts!.find((m) => m.name === nginxLogs.name)!;
    t.equal(logpodLogs.readOnly, true, 'logpod only reads it');
    for (const input of config.inputs as { paths: string[] }[]) {
      for (const pattern of input.paths) {
        t.ok(pattern.startsWith(`${logpodLogs.mountPath}/`), `${pattern} is on the volume`);
      }
    }
    // data_dir is the volume or a directory logpod creates on it (an emptyDir is 0777).
    const dataDir = String(config.data_dir);
    const dataMount = logpod.volumeMounts!.find(
      (m) => dataDir === m.mountPath || dataDir.startsWith(`${m.mountPath}/`),
    );
    t.ok(dataMount && !dataMount.readOnly, 'data_dir is on a writable volume');
  });

  t.test(`${file}: pod metadata from the downward API`, async (t) => {
    const docs = manifests(file);
    const spec = podSpec(docs);
    const logpod = logpodContainer(spec);
    const env = new Map(logpod.env!.map((e) => [e.name, e]));
    t.equal(env.get('POD_NAME')?.valueFrom?.fieldRef?.fieldPath, 'metadata.name');
    t.equal(env.get('POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath, 'metadata.namespace');
    t.equal(env.get('NODE_NAME')?.valueFrom?.fieldRef?.fieldPath, 'spec.nodeName');
    t.equal(env.get('CONTAINER_NAME')?.value, 'nginx', 'the container whose logs these are');
    const podinfo = logpod.volumeMounts!.find((m) => m.mountPath === '/etc/podinfo')!;
    const volume = spec.volumes!.find((v) => v.name === podinfo.name)!;
    t.same(volume.downwardAPI?.items, [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
    ]);
  });
}

for (const file of ['nginx-native-sidecar.yaml', 'nginx-two-containers.yaml', 'writer.yaml']) {
  t.test(`${file}: probes, resources, security, grace period`, async (t) => {
    const docs = manifests(file);
    const spec = podSpec(docs);
    const logpod = logpodContainer(spec);
    const { config, text } = configOf(docs, spec, logpod);
    const port = listenPort(config);
    t.equal(logpod.startupProbe?.httpGet?.path, '/startupz');
    t.equal(logpod.livenessProbe?.httpGet?.path, '/livez');
    t.equal(logpod.readinessProbe?.httpGet?.path, '/readyz');
    for (const probe of [logpod.startupProbe, logpod.livenessProbe, logpod.readinessProbe]) {
      t.equal(probePort(logpod, probe), port, 'on the port the config listens on');
    }
    t.match(
      (config.server as { listen: string }).listen,
      /^0\.0\.0\.0:/,
      'reachable by the kubelet',
    );

    for (const container of allContainers(spec)) {
      const sc = container.securityContext ?? {};
      t.ok(sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, `${container.name}: non-root`);
      t.equal(sc.readOnlyRootFilesystem, true, `${container.name}: read-only root`);
      t.equal(sc.allowPrivilegeEscalation, false, `${container.name}: no escalation`);
      t.same(sc.capabilities?.drop, ['ALL'], `${container.name}: no capabilities`);
      t.ok(
        container.resources?.requests && container.resources.limits?.memory,
        `${container.name}: resources`,
      );
    }

    const timeout = parseDuration(
      ((config.shutdown as { timeout?: string }) ?? {}).timeout ?? '25s',
    );
    const preStop = logpod.lifecycle?.preStop?.exec?.command;
    const preStopMs = preStop?.[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
    const graceMs = spec.terminationGracePeriodSeconds! * 1000;
    t.ok(
      graceMs > timeout + preStopMs,
      `grace ${graceMs} ms > shutdown ${timeout} + preStop ${preStopMs}`,
    );
    t.ok(graceMs <= timeout + preStopMs + 10_000, 'and not much more: a stuck pod goes soon');

    // Every ${VAR} the config needs without a default is set on the container.
    const env = new Set(logpod.env?.map((e) => e.name));
    for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      t.ok(env.has(m[1]), `${m[1]} is set in the container's env`);
    }
  });
}

t.test('the writer scales up to the partition count', async (t) => {
  const docs = manifests('writer.yaml');
  const deployment = docs.find((d) => d.kind === 'Deployment')!;
  const writer = logpodContainer(podSpec(docs));
  t.same(writer.args?.slice(0, 1), ['writer']);
  const compose = readYaml('docker', 'docker-compose.yml') as {
    services: Record<string, { command: string[] }>;
  };
  const create = compose.services['kafka-init'].command.join(' ');
  const partitions = Number(/--topic logs-nginx --partitions (\d+)/.exec(create)![1]);
  t.ok(deployment.spec!.replicas! <= partitions, 'no writer without a partition');
  t.match(readText('examples', 'kubernetes', 'writer.yaml'), /partition count/);
});

t.test('podman-pod.yaml uses only what podman kube play supports', async (t) => {
  const docs = manifests('podman-pod.yaml');
  t.same(docs.map((d) => d.kind).sort(), ['ConfigMap', 'ConfigMap', 'Pod']);
  const spec = podSpec(docs);
  t.same(
    (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    [],
    'no native sidecar: podman runs init containers to completion',
  );
  const known = /^metadata\.(name|uid|labels\['.+'\]|annotations\['.+'\])$/;
  for (const container of allContainers(spec)) {
    for (const env of container.env ?? []) {
      const path = env.valueFrom?.fieldRef?.fieldPath;
      if (path !== undefined) t.match(path, known, `${container.name}: ${env.name} from ${path}`);
    }
  }
  for (const volume of spec.volumes ?? []) {
    const types = Object.keys(volume).filter((k) => k !== 'name');
    t.ok(
      types.every((k) =>
        ['emptyDir', 'hostPath', 'persistentVolumeClaim', 'configMap'].includes(k),
      ),
      `${volume.name}: ${types.join(', ')}`,
    );
  }
  const logpod = logpodContainer(spec);
  const { config } = configOf(docs, spec, logpod);
  t.equal(
    probePort(logpod, logpod.livenessProbe),
    listenPort(config),
    'liveness on the probe port',
  );
  t.not(logpod.securityContext?.runAsUser ?? 0, 0, 'logpod runs as a non-root user');
  const nginx = spec.containers.find((c) => c.name === 'nginx')!;
  const shared = nginx.volumeMounts!.find((m) =>
    logpod.volumeMounts!.some((l) => l.name === m.name),
  )!;
  t.not(
    shared.mountPath,
    '/var/log/nginx',
    "nginx's log volume avoids the image's /dev/stdout links",
  );
  const site = docs.find((d) => d.metadata.name === 'shop-web-nginx')!.data!['default.conf'];
  t.match(site, new RegExp(`access_log ${shared.mountPath}/access\\.log main;`));
});
