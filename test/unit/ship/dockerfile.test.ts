// docker/Dockerfile, read with dockerfile-ast: the rules the image promises
// (pinned small base, multi-stage, non-root, read-only friendly, health check,
// logpod as entrypoint) and a build context that holds what the COPYs need.
import { existsSync } from 'node:fs';
import t from 'tap';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { loadConfigFile } from '../../../src/config/load.js';
import { packageVersion, readText, repoPath } from './ship-helpers.js';
import { dockerignoreExcludes } from './dockerignore.js';

interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

const dockerfile = DockerfileParser.parse(readText('docker', 'Dockerfile'));

function stages(): Stage[] {
  const out: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue());
      const as = args.findIndex((a) => a.toUpperCase() === 'AS');
      out.push({ base: args[0], name: as === -1 ? '' : args[as + 1], instructions: [] });
    } else if (out.length > 0) {
      out[out.length - 1].instructions.push(instruction);
    }
  }
  return out;
}

function keyword(stage: Stage, name: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === name);
}

/** A COPY's `--from=` stage, or undefined for a copy from the build context. */
function copyFrom(copy: Instruction): string | undefined {
  const flags = (
    copy as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }
  ).getFlags();
  return flags.find((f) => f.getName() === 'from')?.getValue() ?? undefined;
}

function copyArgs(copy: Instruction): string[] {
  return copy.getArguments().map((a) => a.getValue());
}

/** The exec form of ENTRYPOINT, CMD or HEALTHCHECK CMD: a JSON array of strings. */
function execForm(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) {
    throw new Error(`not an exec-form array: ${text}`);
  }
  return parsed as string[];
}

const all = stages();
const final = all[all.length - 1];

t.test('every base image is pinned by a version tag, none is latest', async (t) => {
  const names = new Set(all.map((s) => s.name));
  for (const stage of all) {
    if (names.has(stage.base)) continue; // FROM an earlier stage
    const [image, tag] = stage.base.split(':');
    t.ok(tag, `${stage.base} has a tag`);
    t.not(tag, 'latest', `${stage.base} is not latest`);
    t.match(tag, /^\d+\.\d+\.\d+-/, `${stage.base}: a full version, not a moving major tag`);
    t.equal(image, 'node', 'a Node base');
    t.match(tag, /-slim$/, 'the small Debian (glibc) variant, for the native addons');
  }
});

t.test('multi-stage: build with dev dependencies, run with production ones only', async (t) => {
  t.ok(all.length >= 3, 'several stages');
  const runs = (s: Stage) => keyword(s, 'RUN').map((i) => i.getArgumentsContent() ?? '');
  const build = all.find((s) => runs(s).some((r) => r.includes('npm run build')));
  t.ok(build, 'a stage runs npm run build');
  t.ok(
    runs(build!).some((r) => /npm ci(?!.*--omit=dev)/.test(r)),
    'that stage installs dev dependencies',
  );
  const deps = all.find((s) => runs(s).some((r) => r.includes('npm ci --omit=dev')));
  t.ok(deps, 'a stage installs production dependencies only');
  const copies = keyword(final, 'COPY');
  t.ok(
    copies.some((c) => copyFrom(c) === deps!.name && copyArgs(c)[0].endsWith('/node_modules')),
    'the final image takes node_modules from the production stage',
  );
  t.ok(
    copies.some((c) => copyFrom(c) === build!.name && copyArgs(c)[0].endsWith('/dist')),
    'and dist/ from the build stage',
  );
  t.same(
    keyword(final, 'RUN')
      .map((i) => i.getArgumentsContent())
      .filter((r) => /npm|apt/.test(r ?? '')),
    [],
    'no installs in the final stage',
  );
});

t.test('the final stage runs as a numeric non-root user', async (t) => {
  const users = keyword(final, 'USER');
  t.ok(users.length > 0, 'a USER in the final stage');
  const user = users[users.length - 1].getArgumentsContent() ?? '';
  t.match(user, /^\d+(:\d+)?$/, 'numeric, so runAsNonRoot can verify it');
  t.not(Number(user.split(':')[0]), 0, 'not root');
});

t.test('read-only friendly: the data dir of the shipped configs is a volume', async (t) => {
  const volumes = keyword(final, 'VOLUME').flatMap((i) => {
    const text = i.getArgumentsContent() ?? '';
    return text.startsWith('[') ? execForm(text) : text.split(/\s+/);
  });
  for (const name of ['agent.yaml', 'writer.yaml']) {
    const config = loadConfigFile(repoPath('config', name), {});
    t.ok(volumes.includes(config.data_dir), `${name}'s data_dir ${config.data_dir} is a VOLUME`);
  }
  const runs = keyword(final, 'RUN').map((i) => i.getArgumentsContent() ?? '');
  const user = (keyword(final, 'USER')[0]?.getArgumentsContent() ?? '').split(':')[0];
  t.ok(
    runs.some((r) => r.includes(`chown ${user}`) && r.includes('/var/lib/logpod')),
    'the data dir belongs to the runtime user (a new volume inherits it)',
  );
});

t.test('logpod is the entrypoint and the agent with the shipped config the default', async (t) => {
  const entrypoint = execForm(dockerfile.getENTRYPOINTs().at(-1)!.getArgumentsContent()!);
  // tini as PID 1: a SIGTERM during node's start-up is not dropped (see the Dockerfile).
  t.same(entrypoint, ['/usr/bin/tini', '--', 'node', '/app/bin/logpod.js']);
  const cmd = execForm(dockerfile.getCMDs().at(-1)!.getArgumentsContent()!);
  t.same(cmd, ['agent', '--config', '/etc/logpod/agent.yaml']);
  const copies = keyword(final, 'COPY').map(copyArgs);
  t.ok(
    copies.some((args) => args.includes('config/agent.yaml') && args.at(-1) === '/etc/logpod/'),
    'config/agent.yaml is copied to /etc/logpod/',
  );
});

t.test('a HEALTHCHECK that runs node against the probe endpoints', async (t) => {
  const checks = dockerfile.getHEALTHCHECKs();
  t.equal(checks.length, 1);
  const content = checks[0].getArgumentsContent() ?? '';
  const cmd = execForm(content.slice(content.indexOf('[')));
  t.equal(cmd[0], 'node', 'node itself: slim images have no curl');
  t.equal(cmd[1], '/app/docker/healthcheck.mjs');
  const copies = keyword(final, 'COPY').map(copyArgs);
  t.ok(
    copies.some((args) => args[0] === 'docker/healthcheck.mjs'),
    'the script is copied into the image',
  );
  const flags = Object.fromEntries(checks[0].getFlags().map((f) => [f.getName(), f.getValue()]));
  t.ok(flags['start-period'], 'a start period covers the startup');
});

t.test('OCI labels, with the version of package.json', async (t) => {
  const labels = new Map<string, string>();
  for (const label of dockerfile.getInstructions().filter((i) => i.getKeyword() === 'LABEL')) {
    for (const property of (label as unknown as { getProperties(): Property[] }).getProperties()) {
      labels.set(property.getName(), property.getValue() ?? '');
    }
  }
  for (const key of ['title', 'description', 'version', 'licenses']) {
    t.ok(labels.get(`org.opencontainers.image.${key}`), `org.opencontainers.image.${key}`);
  }
  t.equal(labels.get('org.opencontainers.image.version'), packageVersion());
  const pkg = JSON.parse(readText('package.json')) as { license: string };
  t.equal(labels.get('org.opencontainers.image.licenses'), pkg.license);
});

interface Property {
  getName(): string;
  getValue(): string | null;
}

t.test('the build context holds every COPY source and leaves out the rest', async (t) => {
  const ignore = readText('.dockerignore');
  for (const stage of all) {
    for (const copy of keyword(stage, 'COPY')) {
      if (copyFrom(copy) !== undefined) continue;
      for (const source of copyArgs(copy).slice(0, -1)) {
        t.ok(existsSync(repoPath(source)), `${source} exists`);
        t.notOk(dockerignoreExcludes(ignore, source), `${source} is not in .dockerignore`);
      }
    }
  }
  for (const path of [
    'node_modules',
    'dist',
    '.git',
    'data',
    'out',
    'test/services/.work',
    'node_modules/kafkajs/package.json',
  ]) {
    t.ok(dockerignoreExcludes(ignore, path), `${path} stays out of the context`);
  }
});
