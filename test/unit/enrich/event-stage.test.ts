import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { buildEnrichers, buildEnrichStage } from '../../../src/enrich/event-stage.js';
import { ClientAddressEnricher } from '../../../src/enrich/client-address.js';
import { GeoIpEnricher } from '../../../src/enrich/geoip.js';
import { KubernetesEnricher } from '../../../src/enrich/kubernetes.js';
import { UserAgentEnricher } from '../../../src/enrich/user-agent.js';
import { LogpodError } from '../../../src/errors.js';
import { createParser } from '../../../src/parse/index.js';
import { chunkToEvents } from '../../../src/cli/file-events.js';
import { PipelineCounters } from '../../../src/pipeline/counters.js';
import type { FileChunk } from '../../../src/sources/file/types.js';

const logger = pino({ level: 'silent' });

function config(yaml: string) {
  return loadConfigText(
    `inputs: [{paths: [x.log]}]\noutput: {stdout: {}}\n${yaml}`,
    'test.yaml',
    {},
  );
}

function chunk(lines: string[]): FileChunk {
  let offset = 0;
  const raw = lines.map((line) => {
    const buf = Buffer.from(line);
    const r = { buf, start: 0, end: buf.length, offset, truncated: false };
    offset += buf.length + 1;
    return r;
  });
  return {
    inputId: 'in',
    sourceId: 'src',
    path: '/logs/access.log',
    lines: raw,
    bytes: offset,
    endOffset: offset,
    ack: () => {},
  };
}

t.test('the defaults: GeoIP, user agent, Kubernetes when its metadata is there', async (t) => {
  const none = await buildEnrichers(config('').enrich, logger, {});
  t.same(
    none.enrichers.map((e) => e.constructor),
    [GeoIpEnricher, UserAgentEnricher],
    'outside Kubernetes there is no Kubernetes enricher',
  );
  const k8s = await buildEnrichers(config('').enrich, logger, {
    POD_NAME: 'p',
    POD_NAMESPACE: 'ns',
  });
  t.same(
    k8s.enrichers.map((e) => e.constructor),
    [GeoIpEnricher, UserAgentEnricher, KubernetesEnricher],
  );
});

t.test('disabled parts are not in the stage; all disabled means no stage', async (t) => {
  const c = config(
    'enrich: {geoip: {enabled: false}, user_agent: {enabled: false}, kubernetes: {enabled: false}}',
  );
  t.equal(
    (await buildEnrichStage(c.enrich, logger, { POD_NAME: 'p', POD_NAMESPACE: 'ns' })).stage,
    undefined,
  );
  const proxies = config(
    'enrich: {geoip: {enabled: false}, user_agent: {enabled: false}, trusted_proxies: [10.0.0.0/8]}',
  );
  t.same(
    (await buildEnrichers(proxies.enrich, logger, {})).enrichers.map((e) => e.constructor),
    [ClientAddressEnricher],
  );
});

t.test(
  'parsed lines come out enriched: client behind the proxy, its geo, user agent, pod',
  async (t) => {
    const c = config('enrich: {trusted_proxies: [10.0.0.0/8]}');
    const { stage } = await buildEnrichStage(c.enrich, logger, {
      POD_NAME: 'shop-1',
      POD_NAMESPACE: 'prod',
    });
    const events = chunkToEvents(
      chunk([
        '10.0.0.5 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" "81.2.69.160"',
        'not an access line',
      ]),
      {
        parser: createParser({ format: 'main' }),
        format: 'main',
        host: { name: 'h' },
        tags: [],
        fields: undefined,
      },
      new PipelineCounters(),
    );
    stage?.process(events);
    const [ev, failed] = events;
    const source = ev.source as { ip: string; geo: { country_iso_code: string } };
    t.equal(source.ip, '81.2.69.160');
    t.equal(source.geo.country_iso_code, 'GB', 'geo is of the client, not of the proxy');
    t.equal((ev.user_agent as { name: string }).name, 'Googlebot');
    t.same(ev.tags, ['bot']);
    t.same(ev.kubernetes, { pod: { name: 'shop-1' }, namespace: 'prod' });
    t.same(failed.tags, ['_parse_failure']);
    t.same(
      failed.kubernetes,
      { pod: { name: 'shop-1' }, namespace: 'prod' },
      'every event gets it',
    );
  },
);

t.test(
  'a GeoIP database path that cannot be read stops the start with a config error',
  async (t) => {
    const c = config(
      'enrich: {geoip: {database: /nonexistent/GeoLite2-City.mmdb, asn_database: /nonexistent/asn.mmdb}}',
    );
    let error: unknown;
    try {
      await buildEnrichStage(c.enrich, logger, {});
    } catch (err) {
      error = err;
    }
    t.ok(error instanceof LogpodError);
    t.equal((error as LogpodError).code, 'CONFIG_INVALID');
    t.match(
      (error as Error).message,
      /enrich\.geoip\.database: \/nonexistent\/GeoLite2-City\.mmdb cannot be read \(ENOENT\)/,
    );
    t.match((error as Error).message, /enrich\.geoip\.asn_database/);
  },
);

t.test('your own database path is used', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'empty.mmdb');
  writeFileSync(path, 'not really a database');
  const c = config(
    `enrich: {geoip: {database: '${path}'}, user_agent: {enabled: false}, kubernetes: {enabled: false}}`,
  );
  const { stage } = await buildEnrichStage(c.enrich, logger, {});
  const ev = { event: { original: 'x' }, source: { ip: '8.8.8.8' } };
  stage?.process([ev]);
  t.same((ev as { tags?: string[] }).tags, ['_geoip_database_unavailable']);
});

/** The packages a fresh process loads to import the enrich stage and build the enrichers of `yaml`. */
async function packagesLoaded(yaml: string): Promise<string[]> {
  const stageUrl = new URL('../../../src/enrich/event-stage.ts', import.meta.url).href;
  const loadUrl = new URL('../../../src/config/load.ts', import.meta.url).href;
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const r = next(specifier, context);
        const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
        if (m) seen.add(m[1]);
        return r;
      },
    });
    const { pino } = await import('pino');
    const { loadConfigText } = await import(${JSON.stringify(loadUrl)});
    const { buildEnrichers } = await import(${JSON.stringify(stageUrl)});
    const c = loadConfigText(process.argv[1], 't.yaml', {}, 'agent');
    await buildEnrichers(c.enrich, pino({ level: 'silent' }), {});
    process.stdout.write(JSON.stringify([...seen]));
  `;
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, '--input-type=module', '-e', script, yaml],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as string[];
}

t.test('a disabled enricher is not loaded: its packages stay out of memory', async (t) => {
  const base = 'inputs: [{paths: [x.log]}]\noutput: {stdout: {}}\n';
  const agent = await packagesLoaded(base);
  for (const pkg of ['ua-parser-js', 'isbot', 'mmdb-lib'])
    t.notOk(agent.includes(pkg), `the agent's defaults do not load ${pkg}`);
  const both = await packagesLoaded(
    `${base}enrich: {geoip: {enabled: true}, user_agent: {enabled: true}}`,
  );
  for (const pkg of ['ua-parser-js', 'isbot', 'mmdb-lib'])
    t.ok(both.includes(pkg), `enabled, ${pkg} is loaded`);
  const uaOnly = await packagesLoaded(`${base}enrich: {user_agent: {enabled: true}}`);
  t.ok(uaOnly.includes('ua-parser-js'));
  t.notOk(uaOnly.includes('mmdb-lib'), 'GeoIP off: no mmdb reader');
});
