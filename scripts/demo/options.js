// The demo's command line: flags, their defaults, and --help. Ports and the data
// folder can be moved with LOGPOD_DEMO_* variables (the test runs the demo beside
// the test services, on free ports, in a temp folder).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const USAGE = `usage: npm run demo [-- FLAGS]

The whole chain on this machine, no Docker: Kafka and Elasticsearch (the test
services' launcher, on their own ports), nginx serving a small shop, traffic from
a dozen countries, \`logpod agent\` tailing nginx's logs into Kafka and
\`logpod writer\` indexing them into Elasticsearch. Ctrl-C stops it all.

  --rate N            requests a second the traffic generator sends (default 10)
  --duration T        stop by itself after T (90, 90s, 5m); default: until Ctrl-C
  --tour              stop Kafka for 20 s, then Elasticsearch for 20 s, while traffic
                      flows; then count nginx's lines against Elasticsearch and exit
                      (0 when every line is there exactly once)
  --keep-services     leave Kafka and Elasticsearch running at the end (the next
                      demo starts in seconds)
  --stop-services     stop the demo's Kafka and Elasticsearch (left by
                      --keep-services) and exit
  --help              this text

Data and logs: .demo/ in the repository (LOGPOD_DEMO_DIR). Ports: Kafka 29092
(LOGPOD_DEMO_KAFKA_PORT), Elasticsearch 29200 (LOGPOD_DEMO_ES_PORT), the shop
8080 (LOGPOD_DEMO_SHOP_PORT), the agent 8686 (LOGPOD_DEMO_AGENT_PORT), the
writer 8687 (LOGPOD_DEMO_WRITER_PORT).`;

function duration(raw) {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(raw ?? '');
  if (!m || Number(m[1]) <= 0) throw new Error(`--duration wants 90, 90s or 5m, got ${raw}`);
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000);
}

function rate(raw) {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 10_000)
    throw new Error(`--rate wants requests a second (0 < N <= 10000), got ${raw}`);
  return n;
}

function port(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a TCP port`);
  return n;
}

/** Parses argv (after `node main.js`); throws an Error whose message says what is wrong. */
export function parseOptions(argv, env = process.env) {
  const o = {
    help: false,
    rate: 10,
    durationMs: undefined,
    tour: false,
    keepServices: false,
    stopServices: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        o.help = true;
        break;
      case '--rate':
        o.rate = rate(value());
        break;
      case '--duration':
        o.durationMs = duration(value());
        break;
      case '--tour':
        o.tour = true;
        break;
      case '--keep-services':
        o.keepServices = true;
        break;
      case '--stop-services':
        o.stopServices = true;
        break;
      default:
        throw new Error(`unknown flag ${argv[i]} (npm run demo -- --help)`);
    }
  }
  const dir = resolve(env.LOGPOD_DEMO_DIR || `${REPO_ROOT}.demo`);
  return {
    ...o,
    dir,
    kafkaPort: port(env, 'LOGPOD_DEMO_KAFKA_PORT', 29092),
    esPort: port(env, 'LOGPOD_DEMO_ES_PORT', 29200),
    servicesDir: resolve(env.LOGPOD_DEMO_SERVICES_DIR || `${dir}/services`),
    shopPort: port(env, 'LOGPOD_DEMO_SHOP_PORT', 8080),
    agentPort: port(env, 'LOGPOD_DEMO_AGENT_PORT', 8686),
    writerPort: port(env, 'LOGPOD_DEMO_WRITER_PORT', 8687),
  };
}
