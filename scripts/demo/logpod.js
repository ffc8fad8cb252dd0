// The agent's and the writer's configuration for the demo. Enrichment (GeoIP,
// user agent) is set explicitly on both ends, on one of them only, so an event
// is never enriched twice whatever either side's default is.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Where GeoIP and user-agent enrichment run: in the writer, as logpod's own
// defaults have it (the sidecar stays thin).
export const ENRICH_IN = 'writer';

const enrich = (on) => ({
  geoip: { enabled: on },
  user_agent: { enabled: on },
  kubernetes: { enabled: false },
});

/** Names of this run's topic, group and index: nothing left from an earlier run is counted. */
export function runNames(runId) {
  return {
    topic: `logpod-demo-${runId}`,
    dlq: `logpod-demo-${runId}-dlq`,
    group: `logpod-demo-${runId}-writer`,
    index: `logpod-demo-${runId}-{{dataset}}-%Y.%m.%d`,
    indexPattern: `logpod-demo-${runId}-*`,
    template: `logpod-demo-${runId}`,
  };
}

/** Writes agent.yaml and writer.yaml (JSON is YAML) into `dir`; returns their paths. */
export async function writeLogpodConfigs({
  dir,
  logDir,
  names,
  brokers,
  esUrl,
  agentPort,
  writerPort,
}) {
  const agent = {
    data_dir: join(dir, 'agent-data'),
    inputs: [
      {
        id: 'nginx-access',
        paths: [join(logDir, 'access.log*')],
        format: 'main',
        start_at: 'beginning',
      },
      {
        id: 'nginx-error',
        paths: [join(logDir, 'error.log*')],
        format: 'error',
        start_at: 'beginning',
      },
    ],
    registry: { flush_interval: '1s' },
    output: { kafka: { brokers: [brokers], topic: names.topic } },
    enrich: enrich(ENRICH_IN === 'agent'),
    server: { enabled: true, listen: `127.0.0.1:${agentPort}` },
    shutdown: { timeout: '15s' },
  };
  const writer = {
    data_dir: join(dir, 'writer-data'),
    writer: {
      kafka: {
        brokers: [brokers],
        topic: names.topic,
        group_id: names.group,
        dead_letter_topic: names.dlq,
      },
    },
    output: {
      elasticsearch: {
        hosts: [esUrl],
        index: names.index,
        template: { name: names.template, replicas: 0, refresh_interval: '1s' },
        batch_max_wait: '500ms',
        retry_max_backoff: '5s',
      },
    },
    enrich: enrich(ENRICH_IN === 'writer'),
    server: { enabled: true, listen: `127.0.0.1:${writerPort}` },
    shutdown: { timeout: '15s' },
  };
  const paths = { agent: join(dir, 'agent.yaml'), writer: join(dir, 'writer.yaml') };
  await writeFile(paths.agent, JSON.stringify(agent, null, 2));
  await writeFile(paths.writer, JSON.stringify(writer, null, 2));
  return paths;
}
