// Enrichment where it belongs, end to end with the real commands, Kafka and
// Elasticsearch: the agent (defaults) ships nginx lines without GeoIP or user-agent
// fields, only what the pod knows; the writer (defaults) adds source.geo and
// user_agent.* before indexing; an agent configured to enrich is not enriched a
// second time by the writer; the writer's dashboard shows countries and cities,
// and the agent's says where they come from.
import t from 'tap';
import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { LOGPOD_BIN, REPO_ROOT } from '../../helpers/cli.js';
import { createTopic, elasticsearchUrl, kafkaBrokers } from '../../services/index.js';
import type { DashboardSnapshot } from '../../../src/dashboard/snapshot.js';
import { writeMmdb } from '../../unit/enrich/mmdb-writer.js';
import { esClient, skipReason, uniqueName, waitFor } from './helpers.js';

const skip = skipReason();

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

type Doc = {
  source: {
    ip: string;
    geo?: { country_iso_code?: string; city_name?: string };
    as?: unknown;
  };
  user_agent?: { original?: string; name?: string; bot?: boolean };
  kubernetes?: { pod?: { name?: string } };
  host?: { name?: string };
  tags?: string[];
  url: { path: string };
};

function logTime(d: Date): string {
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}

/** Combined-format lines, one per [client, path, user agent], stamped now (the dashboard's window). */
function accessLog(lines: [string, string, string][]): string {
  const now = logTime(new Date());
  return lines
    .map(([ip, path, ua]) => `${ip} - - [${now}] "GET ${path} HTTP/1.1" 200 512 "-" "${ua}"\n`)
    .join('');
}

interface Started {
  child: ChildProcess;
  port: Promise<number>;
  output: () => string;
  stop(): Promise<void>;
}

/** A logpod command as a user starts it; its probe server's port read from its log. */
function logpod(args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [LOGPOD_BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOGPOD_LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const port = new Promise<number>((resolve, reject) => {
    const onData = (c: string) => {
      out += c;
      const m = /"address":"127\.0\.0\.1:(\d+)"/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    void closed.then(() => reject(new Error(`logpod ${args[0]} exited before listening:\n${out}`)));
  });
  port.catch(() => {});
  return {
    child,
    port,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

/** Every event in the topic (records are NDJSON, one event a line), once `count` are there. */
async function topicEvents(topic: string, count: number): Promise<Doc[]> {
  const kafka = new kafkajs.Kafka({
    brokers: [kafkaBrokers()],
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: uniqueName('reader-') });
  const events: Doc[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        for (const line of (message.value?.toString() ?? '').split('\n')) {
          if (line !== '') events.push(JSON.parse(line) as Doc);
        }
      },
    });
    await waitFor(`${count} events in ${topic}`, () => events.length >= count, 90_000);
  } finally {
    await consumer.disconnect();
  }
  return events;
}

/** The indexed documents of the data stream, once `count` are searchable. */
async function indexedDocs(pattern: string, count: number): Promise<Doc[]> {
  const es = esClient();
  try {
    let docs: Doc[] = [];
    await waitFor(
      `${count} documents in ${pattern}`,
      async () => {
        try {
          await es.indices.refresh({ index: pattern, ignore_unavailable: true });
          const res = await es.search<Doc>({
            index: pattern,
            size: 100,
            ignore_unavailable: true,
            allow_no_indices: true,
          });
          docs = res.hits.hits.map((h) => h._source!);
        } catch {
          docs = [];
        }
        return docs.length >= count;
      },
      120_000,
    );
    return docs;
  } finally {
    await es.close();
  }
}

async function dashboard(port: number): Promise<DashboardSnapshot> {
  return (await (
    await fetch(`http://127.0.0.1:${port}/api/dashboard`)
  ).json()) as DashboardSnapshot;
}

interface Setup {
  dir: string;
  topic: string;
  ns: string;
}

async function newSetup(t: Test): Promise<Setup> {
  const s = { dir: t.testdir(), topic: uniqueName('enrich-'), ns: uniqueName('w') };
  await createTopic(s.topic, 1);
  await createTopic(`${s.topic}-dlq`, 1);
  return s;
}

async function startAgent(t: Test, s: Setup, lines: string, enrich = ''): Promise<Started> {
  await writeFile(join(s.dir, 'access.log'), lines);
  const config = join(s.dir, 'agent.yaml');
  await writeFile(
    config,
    [
      `data_dir: ${join(s.dir, 'agent-data')}`,
      'inputs:',
      `  - {paths: ['${join(s.dir, 'access.log')}'], format: combined, start_at: beginning}`,
      `output: {kafka: {brokers: ['${kafkaBrokers()}'], topic: ${s.topic}}}`,
      "server: {listen: '127.0.0.1:0'}",
      'shutdown: {timeout: 10s}',
      'host_name: web-1',
      enrich,
      '',
    ].join('\n'),
  );
  const agent = logpod(['agent', '--config', config], {
    POD_NAME: 'shop-7d9f',
    POD_NAMESPACE: 'prod',
  });
  t.teardown(() => agent.stop());
  return agent;
}

async function startWriter(t: Test, s: Setup): Promise<Started> {
  const config = join(s.dir, 'writer.yaml');
  await writeFile(
    config,
    [
      `data_dir: ${join(s.dir, 'writer-data')}`,
      'writer:',
      `  kafka: {brokers: ['${kafkaBrokers()}'], topic: ${s.topic}, group_id: ${uniqueName('g-')}, session_timeout: 10s}`,
      'output:',
      '  elasticsearch:',
      `    hosts: ['${elasticsearchUrl()}']`,
      `    data_stream: 'logs-{{dataset}}-${s.ns}'`,
      '    template: {replicas: 0, refresh_interval: 1s}',
      '    batch_max_wait: 100ms',
      "server: {listen: '127.0.0.1:0'}",
      'shutdown: {timeout: 10s}',
      '',
    ].join('\n'),
  );
  // The writer's own pod must not end up on the events: Kubernetes is off in the writer.
  const writer = logpod(['writer', '--config', config], { POD_NAME: 'writer-0' });
  t.teardown(() => writer.stop());
  return writer;
}

const byPath = (docs: Doc[]) => new Map(docs.map((d) => [d.url.path, d]));

t.test(
  'defaults: the agent ships lean events, the writer enriches them before indexing',
  { skip, timeout: 300_000 },
  async (t) => {
    const s = await newSetup(t);
    const lines: [string, string, string][] = [
      ['81.2.69.160', '/gb-chrome', CHROME],
      ['8.8.8.8', '/us-googlebot', GOOGLEBOT],
      ['2001:4860:4860::8888', '/v6-firefox', FIREFOX],
      ['2a00:1450:4001:80b::200e', '/v6-curl', 'curl/8.5.0'],
      ['10.1.2.3', '/private-probe', 'kube-probe/1.29'],
    ];
    const agent = await startAgent(t, s, accessLog(lines));

    const shipped = byPath(await topicEvents(s.topic, lines.length));
    t.equal(shipped.size, lines.length);
    for (const [path, e] of shipped) {
      t.equal(e.source.geo, undefined, `${path}: no source.geo from the agent`);
      t.equal(e.source.as, undefined, `${path}: no source.as`);
      t.equal(e.user_agent?.name, undefined, `${path}: user agent not parsed`);
      t.equal(e.user_agent?.bot, undefined);
      t.notOk(
        e.tags?.some((tag) => tag.startsWith('_geoip_') || tag === 'bot'),
        `${path}: no tags`,
      );
      t.equal(e.kubernetes?.pod?.name, 'shop-7d9f', `${path}: what only the pod knows`);
      t.equal(e.host?.name, 'web-1');
    }
    const agentView = await dashboard(await agent.port);
    t.match(agentView.enrichmentNote, /GeoIP and user-agent enrichment run in the writer/);
    t.same(agentView.countries, []);
    await agent.stop();

    const writer = await startWriter(t, s);
    const docs = byPath(await indexedDocs(`logs-*-${s.ns}`, lines.length));
    t.equal(docs.size, lines.length);
    const gb = docs.get('/gb-chrome')!;
    t.equal(gb.source.geo?.country_iso_code, 'GB');
    t.type(gb.source.geo?.city_name, 'string');
    t.equal(gb.user_agent?.name, 'Chrome');
    t.equal(gb.user_agent?.bot, false);
    const bot = docs.get('/us-googlebot')!;
    t.equal(bot.source.geo?.country_iso_code, 'US');
    t.equal(bot.user_agent?.name, 'Googlebot');
    t.same(bot.tags, ['bot']);
    for (const path of ['/v6-firefox', '/v6-curl']) {
      const v6 = docs.get(path)!;
      t.match(v6.source.geo?.country_iso_code, /^[A-Z]{2}$/, `${path}: IPv6 located`);
      t.type(v6.source.geo?.city_name, 'string', `${path}: with a city`);
    }
    t.equal(docs.get('/v6-firefox')!.user_agent?.name, 'Firefox');
    t.same(docs.get('/v6-curl')!.tags, ['bot']);
    t.same(docs.get('/private-probe')!.tags, ['_geoip_private', 'bot']);
    for (const [path, d] of docs) {
      t.equal(d.kubernetes?.pod?.name, 'shop-7d9f', `${path}: the agent's pod, not the writer's`);
    }

    const wport = await writer.port;
    let view: DashboardSnapshot | undefined;
    await waitFor('the writer dashboard to count the requests', async () => {
      view = await dashboard(wport);
      return view.totals.requests === lines.length && view.cities.length > 0;
    });
    const codes = view!.countries.map((c) => c.code);
    t.ok(codes.includes('GB') && codes.includes('US'), `countries: ${codes.join(', ')}`);
    t.ok(
      view!.cities.some((c) => c.country === 'GB'),
      `cities: ${JSON.stringify(view!.cities)}`,
    );
    t.equal(view!.enrichmentNote, undefined, 'the writer enriches: no note');
  },
);

t.test(
  'an agent configured to enrich: the writer leaves its events as they are',
  { skip, timeout: 300_000 },
  async (t) => {
    const s = await newSetup(t);
    // The agent's own database places 81.2.69.0/24 in a made-up city and knows nothing
    // else; the writer's (bundled) one knows all of them. Any second pass would show.
    const agentDb = join(s.dir, 'agent-city.mmdb');
    await writeFile(
      agentDb,
      writeMmdb({
        ipVersion: 6,
        databaseType: 'GeoLite2-City',
        networks: [
          {
            cidr: '81.2.69.0/24',
            data: {
              country: { iso_code: 'ZZ', names: { en: 'Testland' } },
              city: { names: { en: 'Testville' } },
              location: { latitude: 1.5, longitude: 2.5 },
            },
          },
        ],
      }),
    );
    const lines: [string, string, string][] = [
      ['81.2.69.160', '/agent-geo', CHROME],
      ['8.8.8.8', '/agent-unknown', GOOGLEBOT],
      ['10.1.2.3', '/private', FIREFOX],
    ];
    const agent = await startAgent(
      t,
      s,
      accessLog(lines),
      `enrich: {geoip: {enabled: true, database: '${agentDb}'}, user_agent: {enabled: true}}`,
    );
    const shipped = byPath(await topicEvents(s.topic, lines.length));
    t.equal(shipped.get('/agent-geo')!.source.geo?.city_name, 'Testville', 'enriched in the agent');
    t.same(shipped.get('/agent-unknown')!.tags, ['_geoip_not_found', 'bot']);
    t.equal((await dashboard(await agent.port)).enrichmentNote, undefined);
    await agent.stop();

    await startWriter(t, s);
    const docs = byPath(await indexedDocs(`logs-*-${s.ns}`, lines.length));
    t.equal(docs.size, lines.length);
    for (const [path, sent] of shipped) {
      const doc = docs.get(path)!;
      t.same(doc.source, sent.source, `${path}: source (geo) as the agent sent it`);
      t.same(doc.user_agent, sent.user_agent, `${path}: user agent as the agent sent it`);
      t.same(doc.tags, sent.tags, `${path}: one pass of tags`);
    }
    t.equal(docs.get('/agent-geo')!.source.geo?.country_iso_code, 'ZZ', 'not re-located');
    t.equal(docs.get('/agent-unknown')!.source.geo, undefined, 'not looked up a second time');
  },
);
