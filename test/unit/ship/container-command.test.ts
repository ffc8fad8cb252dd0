// The container's exact command line (the Dockerfile's ENTRYPOINT + CMD, with
// the config the image ships) run on the host, paths mapped into a temp dir and
// Kafka unreachable: it starts, answers its probes and its HEALTHCHECK, stays
// ready (the sidecar choice), writes only to its data dir, and exits 0 on SIGTERM.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { DockerfileParser } from 'dockerfile-ast';
import {
  closedPort,
  freePort,
  httpStatus,
  readText,
  REPO_ROOT,
  start,
  waitForStatus,
} from './ship-helpers.js';

const dockerfile = DockerfileParser.parse(readText('docker', 'Dockerfile'));
const execForm = (text: string) => JSON.parse(text.slice(text.indexOf('['))) as string[];
const entrypoint = execForm(dockerfile.getENTRYPOINTs().at(-1)!.getArgumentsContent()!);
const cmd = execForm(dockerfile.getCMDs().at(-1)!.getArgumentsContent()!);
const healthcheck = execForm(dockerfile.getHEALTHCHECKs()[0].getArgumentsContent()!);

/**
 * Container paths -> host paths: /app is the repository (the image's WORKDIR,
 * holding bin/, dist/, package.json); /etc/logpod/X.yaml is config/X.yaml with
 * the log and data directories moved into `root`.
 */
async function mapPaths(root: string) {
  const logs = join(root, 'var-log-nginx');
  const data = join(root, 'var-lib-logpod');
  const etc = join(root, 'etc-logpod');
  await Promise.all([logs, data, etc].map((d) => mkdir(d, { recursive: true })));
  for (const name of ['agent.yaml', 'writer.yaml']) {
    const text = readText('config', name)
      .replaceAll('/var/log/nginx', logs)
      .replaceAll('/var/lib/logpod', data);
    await writeFile(join(etc, name), text);
  }
  const map = (arg: string) => {
    if (arg.startsWith('/app/')) return join(REPO_ROOT, arg.slice('/app/'.length));
    if (arg.startsWith('/etc/logpod/')) return join(etc, arg.slice('/etc/logpod/'.length));
    return arg;
  };
  return { logs, data, map };
}

t.test('the image command starts, answers its probes and stops cleanly', async (t) => {
  const root = t.testdir();
  const { logs, data, map } = await mapPaths(root);
  // A log that exists before the agent (start_at: end: only new lines are sent).
  await writeFile(
    join(logs, 'access.log'),
    '203.0.113.9 - - [28/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8" "-"\n',
  );
  // The config listens on 0.0.0.0:8686; the test moves it to a free loopback port.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The command tini runs (tini itself, PID 1 in the image, is left out here).
  const argv = [...entrypoint.slice(entrypoint.indexOf('--') + 1), ...cmd].map(map);
  t.equal(argv[0], 'node', 'ENTRYPOINT runs node');
  const agent = start(t, process.execPath, [...argv.slice(1), '--listen', `127.0.0.1:${port}`], {
    env: { KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`, HOSTNAME: 'shop-web-1' },
  });

  t.ok(await waitForStatus(`${base}/startupz`, 200), '/startupz 200 once started', {
    output: agent.output(),
  });
  t.equal(await httpStatus(`${base}/livez`), 200, 'alive although Kafka is unreachable');
  t.equal(await httpStatus(`${base}/readyz`), 200, 'ready: a Kafka outage keeps nginx serving');

  const [node, script, ...paths] = healthcheck.map(map);
  t.equal(node, 'node', 'the HEALTHCHECK runs node');
  const healthy = start(t, process.execPath, [script, ...paths], {
    env: { LOGPOD_PROBE_URL: base },
  });
  t.equal(await healthy.exited, 0, 'the HEALTHCHECK passes', { output: healthy.output() });
  const unreachable = start(t, process.execPath, [script, ...paths], {
    env: { LOGPOD_PROBE_URL: `http://127.0.0.1:${await closedPort()}` },
  });
  t.equal(await unreachable.exited, 1, 'and fails when nothing answers');

  agent.child.kill('SIGTERM');
  t.equal(await agent.exited, 0, 'exit 0 on SIGTERM', { output: agent.output() });
  t.ok(
    existsSync(join(data, 'inputs', 'nginx-access', 'registry.json')),
    'the registry is saved in data_dir (the image VOLUME)',
  );
  t.same(
    (await readdir(root)).sort(),
    ['etc-logpod', 'var-lib-logpod', 'var-log-nginx'],
    'nothing written beside the mapped directories',
  );
});
