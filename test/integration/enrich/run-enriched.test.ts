// `logpod run` end to end with enrichment: the client behind a trusted proxy,
// its country from the bundled database, the user agent, and the pod's
// metadata from the downward API (environment and labels file).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../helpers/cli.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

t.test('events come out enriched', async (t) => {
  const dir = t.testdir();
  await writeFile(
    join(dir, 'access.log'),
    [
      `10.0.0.5 - - [28/Nov/2026:09:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "${CHROME}" "1.2.3.4, 81.2.69.160"`,
      `8.8.8.8 - - [28/Nov/2026:09:00:02 +0000] "GET /x HTTP/1.1" 404 5 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" "81.2.69.160"`,
      `192.168.1.9 - - [28/Nov/2026:09:00:03 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29" "-"`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'labels'), 'app="shop"\napp.kubernetes.io/part-of="store"\n');
  await writeFile(
    join(dir, 'logpod.yaml'),
    [
      `data_dir: ${join(dir, 'data')}`,
      'inputs:',
      `  - paths: ['${join(dir, 'access.log')}']`,
      '    start_at: beginning',
      'output:',
      `  file: {path: '${join(dir, 'out.ndjson')}'}`,
      'server: {enabled: false}',
      'enrich:',
      '  trusted_proxies: [10.0.0.0/8]',
      `  kubernetes: {labels_file: '${join(dir, 'labels')}'}`,
      '',
    ].join('\n'),
  );
  const res = await runCli(['run', '--config', join(dir, 'logpod.yaml'), '--once'], {
    env: { POD_NAME: 'shop-7d9f-x2x9q', POD_NAMESPACE: 'prod', NODE_NAME: 'node-3' },
  });
  t.equal(res.code, 0, res.stderr);
  const events = (await readFile(join(dir, 'out.ndjson'), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.equal(events.length, 3);
  const [proxied, spoofed, probe] = events;

  t.match(proxied, {
    source: { ip: '81.2.69.160', address: '81.2.69.160', geo: { country_iso_code: 'GB' } },
    nginx: { access: { peer_ip: '10.0.0.5' } },
    user_agent: { name: 'Chrome', os: { name: 'Windows' }, bot: false },
    kubernetes: {
      pod: { name: 'shop-7d9f-x2x9q' },
      namespace: 'prod',
      node: { name: 'node-3' },
      labels: { app: 'shop', 'app_kubernetes_io/part-of': 'store' },
    },
  });
  t.type(proxied.source.geo.location.lat, 'number');

  t.match(spoofed, {
    source: { ip: '8.8.8.8', geo: { country_iso_code: 'US' } },
    user_agent: { name: 'Googlebot', bot: true },
    tags: ['bot'],
  });
  t.equal(
    spoofed.nginx.access.peer_ip,
    undefined,
    'X-Forwarded-For from an untrusted peer is ignored',
  );

  t.same(probe.tags, ['_geoip_private', 'bot']);
  t.equal(probe.source.geo, undefined);
});
