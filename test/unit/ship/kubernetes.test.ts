// examples/kubernetes: every manifest valid, strictly, against the API of
// every Kubernetes version from 1.25 on (kubernetes-validate --strict), and
// the pod doing what the README says: logpod beside nginx on one emptyDir,
// probes on the probe server, nothing about logging able to take nginx out of
// service, locked down, pod metadata from the downward API, credentials from
// Secrets, a grace period that covers nginx's drain and then logpod's.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../../../src/config/units.js';
import { LOGPOD_BIN } from '../../helpers/cli.js';
import {
  closedPort,
  freePort,
  httpStatus,
  readText,
  readYaml,
  readYamlDocuments,
  repoPath,
  start,
  waitForStatus,
} from './ship-helpers.js';

const run = promisify(execFile);

/* The parts of the Kubernetes types these checks read. */
interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  restartPolicy?: string;
  env?: EnvVar[];
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
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
}
interface Volume {
  name: string;
  emptyDir?: { sizeLimit?: string };
  configMap?: { name: string };
  downwardAPI?: { items: { path: string; fieldRef: { fieldPath: string } }[] };
  [type: string]: unknown;
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean };
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: {
    replicas?: number;
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    selector?: { matchLabels?: Record<string, string> };
    maxUnavailable?: number;
  } & Partial<PodSpec>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const FILES = [
  'nginx-native-sidecar.yaml',
  'nginx-two-containers.yaml',
  'writer.yaml',
  'secrets.yaml',
  'podman-pod.yaml',
];
const WORKLOADS = FILES.filter((f) => f !== 'secrets.yaml');
/** The oldest Kubernetes the manifests are for; a file may need a newer one. */
const OLDEST = '1.25';
const NEEDS: Record<string, string> = {
  // restartPolicy on an init container (the native sidecar) is new in 1.28.
  'nginx-native-sidecar.yaml': '1.28',
};

function manifests(file: string): Manifest[] {
  return readYamlDocuments('examples', 'kubernetes', file) as unknown as Manifest[];
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

const VALIDATE = repoPath('.work', 'venv', 'bin', 'kubernetes-validate');

function minor(version: string): number {
  return Number(version.split('.')[1]);
}

/** Installs kubernetes-validate (idempotent) and lists the versions it has schemas for. */
function validatorVersions(): string[] {
  const install = spawnSync('bash', [repoPath('scripts', 'install-kubernetes-validate.sh')], {
    encoding: 'utf8',
  });
  if (install.status !== 0) {
    throw new Error(`scripts/install-kubernetes-validate.sh failed: ${install.stderr}`);
  }
  const list = spawnSync(
    repoPath('.work', 'venv', 'bin', 'python'),
    ['-c', 'import kubernetes_validate.utils as u; print(" ".join(u.all_versions()))'],
    { encoding: 'utf8' },
  );
  return list.stdout
    .trim()
    .split(/\s+/)
    .map((v) => v.replace(/^v/, '').split('-')[0])
    .filter((v, i, all) => /^1\.\d+\.\d+$/.test(v) && all.indexOf(v) === i);
}

async function validate(version: string, files: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run(
      VALIDATE,
      ['--strict', '--quiet', '-k', version, ...files],
      { encoding: 'utf8' },
    );
    return { ok: true, out: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

t.test(
  'every manifest is valid, strictly, for every Kubernetes version from 1.25 on',
  { timeout: 600_000 },
  async (t) => {
    const versions = validatorVersions().filter((v) => minor(v) >= minor(OLDEST));
    t.ok(versions.length >= 13, `1.25 to the newest the validator knows: ${versions.join(' ')}`);
    // A few at a time: each run is a Python process.
    const queue = [...versions];
    const results: [string, string[], { ok: boolean; out: string }][] = [];
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
          const files = FILES.filter((f) => minor(v) >= minor(NEEDS[f] ?? OLDEST));
          const paths = files.map((f) => repoPath('examples', 'kubernetes', f));
          results.push([v, files, await validate(v, paths)]);
        }
      }),
    );
    for (const [v, files, result] of results.sort()) {
      t.ok(result.ok, `Kubernetes ${v}: ${files.join(', ')}`, { output: result.out });
    }
  },
);

t.test('the strict check catches a misspelt field', { timeout: 120_000 }, async (t) => {
  const newest = validatorVersions()
    .sort((a, b) => minor(a) - minor(b))
    .at(-1)!;
  const text = readText('examples', 'kubernetes', 'nginx-native-sidecar.yaml');
  t.match(text, /\brestartPolicy: Always/);
  const broken = join(t.testdir(), 'typo.yaml');
  writeFileSync(broken, text.replace('restartPolicy: Always', 'restartPolicyy: Always'));
  const result = await validate(newest, [broken]);
  t.notOk(result.ok, 'refused');
  t.match(result.out, /restartPolicyy/, 'naming the field');
});

t.test('images are pinned: a tag, never latest', async (t) => {
  for (const file of WORKLOADS) {
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

t.test('nothing about logging can take nginx out of service', async (t) => {
  for (const file of ['nginx-native-sidecar.yaml', 'nginx-two-containers.yaml']) {
    const logpod = logpodContainer(podSpec(manifests(file)));
    t.equal(logpod.readinessProbe, undefined, `${file}: no readiness probe on logpod`);
    // /startupz is config, registry and first discovery: no Kafka in it (src/server).
    t.equal(logpod.startupProbe?.httpGet?.path, '/startupz', `${file}: started without Kafka`);
    t.equal(logpod.livenessProbe?.httpGet?.path, '/livez', `${file}: live without Kafka`);
  }
  const text = readText('examples', 'kubernetes', 'nginx-native-sidecar.yaml');
  t.match(text, /Kafka plays no part/, 'the manifest says why');
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
    const inputs = config.inputs as { paths: string[]; remove_after?: string }[];
    if (inputs.some((i) => i.remove_after !== undefined)) {
      t.notOk(logpodLogs.readOnly, 'logpod may delete what it shipped (remove_after)');
    } else {
      t.equal(logpodLogs.readOnly, true, 'logpod only reads it');
    }
    for (const input of inputs) {
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

/** Seconds a preStop `sleep N` holds a container, 0 without one. */
function preStopSeconds(container: Container): number {
  const command = container.lifecycle?.preStop?.exec?.command;
  return command?.[0] === 'sleep' ? Number(command[1]) : 0;
}

/** nginx's worker_shutdown_timeout from the ConfigMap its nginx.conf comes from, in ms. */
function nginxDrainMs(docs: Manifest[], spec: PodSpec, nginx: Container): number {
  const conf = nginxConf(docs, spec, nginx);
  const m = /^\s*worker_shutdown_timeout\s+(\d+)s;/m.exec(conf);
  return m === null ? Infinity : Number(m[1]) * 1000;
}

function nginxConf(docs: Manifest[], spec: PodSpec, nginx: Container): string {
  const mount = nginx.volumeMounts!.find((m) => m.mountPath === '/etc/nginx/nginx.conf')!;
  const volume = spec.volumes!.find((v) => v.name === mount.name)!;
  const map = docs.find(
    (d) => d.kind === 'ConfigMap' && d.metadata.name === volume.configMap!.name,
  )!;
  return map.data![mount.subPath!];
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
    if (file === 'writer.yaml') t.equal(logpod.readinessProbe?.httpGet?.path, '/readyz');
    for (const probe of [logpod.startupProbe, logpod.livenessProbe, logpod.readinessProbe]) {
      if (probe !== undefined) t.equal(probePort(logpod, probe), port, 'on the listen port');
    }
    t.match(
      (config.server as { listen: string }).listen,
      /^0\.0\.0\.0:/,
      'reachable by the kubelet',
    );
    t.equal(spec.automountServiceAccountToken, false, 'no API token in the pod');

    for (const container of allContainers(spec)) {
      const sc = container.securityContext ?? {};
      t.ok(sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, `${container.name}: non-root`);
      t.equal(sc.readOnlyRootFilesystem, true, `${container.name}: read-only root`);
      t.equal(sc.allowPrivilegeEscalation, false, `${container.name}: no escalation`);
      t.same(sc.capabilities?.drop, ['ALL'], `${container.name}: no capabilities`);
      const resources = container.resources ?? {};
      t.ok(resources.requests?.cpu && resources.requests.memory, `${container.name}: requests`);
      t.ok(resources.requests?.['ephemeral-storage'], `${container.name}: ephemeral-storage`);
      t.ok(resources.limits?.memory, `${container.name}: a memory limit`);
    }
    for (const volume of spec.volumes ?? []) {
      if (volume.emptyDir) t.ok(volume.emptyDir.sizeLimit, `${volume.name}: a sizeLimit`);
    }

    // SIGKILL never cuts a drain short, and a stuck pod still goes soon.
    const timeout = parseDuration(
      ((config.shutdown as { timeout?: string }) ?? {}).timeout ?? '25s',
    );
    const nginx = spec.containers.find((c) => c.name === 'nginx');
    const native = spec.initContainers?.includes(logpod) ?? false;
    let needMs = preStopSeconds(logpod) * 1000 + timeout;
    if (nginx !== undefined) {
      const nginxMs = preStopSeconds(nginx) * 1000 + nginxDrainMs(docs, spec, nginx);
      if (native) {
        // logpod is stopped once nginx has exited.
        needMs = nginxMs + timeout;
      } else {
        // Stopped together: logpod's preStop outlasts nginx's stop, so it reads the last lines.
        t.ok(preStopSeconds(logpod) * 1000 >= nginxMs, "logpod's preStop outlasts nginx's drain");
      }
    }
    const graceMs = spec.terminationGracePeriodSeconds! * 1000;
    t.ok(graceMs > needMs, `grace ${graceMs} ms > ${needMs} ms of stopping`);
    t.ok(graceMs <= needMs + 10_000, 'and not much more: a stuck pod goes soon');

    // Every ${VAR} the config needs without a default is set on the container.
    const env = new Set(logpod.env?.map((e) => e.name));
    for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      t.ok(env.has(m[1]), `${m[1]} is set in the container's env`);
    }
  });

  t.test(`${file}: credentials from Secrets, the CA mounted`, async (t) => {
    const docs = manifests(file);
    const spec = podSpec(docs);
    const logpod = logpodContainer(spec);
    const { config } = configOf(docs, spec, logpod);
    const shipped = manifests('secrets.yaml');
    for (const e of logpod.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref === undefined || ref.optional) continue;
      const secret = shipped.find((d) => d.kind === 'Secret' && d.metadata.name === ref.name);
      t.ok(secret?.stringData?.[ref.key] ?? secret?.data?.[ref.key], `${e.name}: secrets.yaml`);
    }
    const env = new Map((logpod.env ?? []).map((e) => [e.name, e]));
    const fromSecret = (value: unknown) => {
      const name = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(String(value))?.[1];
      return name !== undefined && env.get(name)?.valueFrom?.secretKeyRef !== undefined;
    };
    const kafka = ((config.writer as { kafka?: unknown } | undefined)?.kafka ??
      (config.output as { kafka?: unknown }).kafka) as {
      sasl: { mechanism: string; username: string; password: string };
      tls: { enabled: boolean; ca_file: string };
    };
    t.equal(kafka.sasl.mechanism, 'scram-sha-512');
    t.ok(fromSecret(kafka.sasl.username) && fromSecret(kafka.sasl.password), 'Kafka user');
    t.equal(kafka.tls.enabled, true, 'Kafka over TLS');
    const caFiles = [kafka.tls.ca_file];
    if (file === 'writer.yaml') {
      const es = (config.output as { elasticsearch: Record<string, unknown> }).elasticsearch;
      t.ok(fromSecret(es.username) && fromSecret(es.password), 'Elasticsearch user');
      const url = /^\$\{(\w+)\}$/.exec((es.hosts as string[])[0])![1];
      t.match(env.get(url)?.value, /^https:\/\//, 'Elasticsearch over https');
      caFiles.push((es.tls as { ca_file: string }).ca_file);
    }
    for (const caFile of caFiles) {
      const dir = caFile.slice(0, caFile.lastIndexOf('/'));
      const mount = logpod.volumeMounts!.find((m) => m.mountPath === dir)!;
      t.equal(mount?.readOnly, true, `${caFile}: mounted read-only`);
      const volume = spec.volumes!.find((v) => v.name === mount.name)!;
      const ca = shipped.find(
        (d) => d.kind === 'ConfigMap' && d.metadata.name === volume.configMap?.name,
      );
      t.ok(ca?.data?.[caFile.slice(dir.length + 1)], `${caFile}: from secrets.yaml`);
    }
  });
}

for (const file of ['nginx-native-sidecar.yaml', 'nginx-two-containers.yaml']) {
  t.test(`${file}: nginx drains, trusts only its proxies, probes unlogged`, async (t) => {
    const docs = manifests(file);
    const spec = podSpec(docs);
    const nginx = spec.containers.find((c) => c.name === 'nginx')!;
    const conf = nginxConf(docs, spec, nginx);
    t.ok(preStopSeconds(nginx) > 0, 'a preStop pause while endpoints forget the pod');
    t.ok(nginxDrainMs(docs, spec, nginx) <= 30_000, 'worker_shutdown_timeout bounds the drain');
    t.match(conf, /^\s*set_real_ip_from \S+;/m, 'trusted proxies');
    t.match(conf, /^\s*real_ip_header X-Forwarded-For;/m, 'the visitor from X-Forwarded-For');
    t.match(conf, /location = \/healthz \{\s*access_log off;/, '/healthz is not logged');
    for (const probe of [nginx.readinessProbe, nginx.livenessProbe]) {
      t.equal(probe?.httpGet?.path, '/healthz');
      t.equal(probePort(nginx, probe), 8080);
    }
  });
}

t.test(
  "the sidecar's agent, as the manifest configures it, starts and stays live without Kafka",
  { timeout: 180_000 },
  async (t) => {
    const root = t.testdir();
    mkdirSync(join(root, 'logs'));
    writeFileSync(join(root, 'logs', 'access.log'), '');
    const ca = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=test-ca',
      ].concat(['-keyout', join(root, 'ca.key'), '-out', join(root, 'ca.crt')]),
      { encoding: 'utf8' },
    );
    t.equal(ca.status, 0, 'a CA to mount', { output: ca.stderr });
    const docs = manifests('nginx-native-sidecar.yaml');
    const spec = podSpec(docs);
    const logpod = logpodContainer(spec);
    const port = await freePort();
    const config = configOf(docs, spec, logpod)
      .text.replaceAll('/var/lib/logpod', join(root, 'data'))
      .replaceAll('/var/log/nginx', join(root, 'logs'))
      .replaceAll('/etc/logpod-ca', root)
      .replace('0.0.0.0:8686', `127.0.0.1:${port}`);
    mkdirSync(join(root, 'data'), { mode: 0o700 });
    writeFileSync(join(root, 'agent.yaml'), config);
    // Nothing listens on the brokers' port: refused, as an unreachable or misconfigured Kafka.
    const agent = start(
      t,
      process.execPath,
      [LOGPOD_BIN, 'agent', '--config', `${root}/agent.yaml`],
      {
        env: {
          KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
          KAFKA_USERNAME: 'logpod',
          KAFKA_PASSWORD: 'wrong',
          NODE_NAME: 'node-1',
        },
      },
    );
    // The startup probe's budget: failureThreshold x periodSeconds.
    const budget =
      logpod.startupProbe!.failureThreshold! * logpod.startupProbe!.periodSeconds! * 1000;
    const base = `http://127.0.0.1:${port}`;
    t.ok(await waitForStatus(`${base}/startupz`, 200, budget), 'started: nginx may start', {
      output: agent.output(),
    });
    t.equal(await httpStatus(`${base}/livez`), 200, 'live: no restart loop');
    agent.child.kill('SIGTERM');
    await agent.exited;
  },
);

t.test('the writer has a PodDisruptionBudget', async (t) => {
  const docs = manifests('writer.yaml');
  const deployment = docs.find((d) => d.kind === 'Deployment')!;
  const pdb = docs.find((d) => d.kind === 'PodDisruptionBudget')!;
  t.ok(pdb, 'one');
  const labels = deployment.spec!.template!.metadata!.labels!;
  for (const [k, v] of Object.entries(pdb.spec!.selector!.matchLabels!)) {
    t.equal(labels[k], v, `selects the writer's pods: ${k}`);
  }
  t.ok(pdb.spec!.maxUnavailable! < deployment.spec!.replicas!, 'some writers keep consuming');
});

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
