// A cluster that already has index templates, as Fleet / Elastic Agent leave
// them: a catch-all `<type>-*-*` (100) and a dataset's own `<type>-nginx.access-*`
// at priority 200. The writer starts (no equal-priority 400), writes, its
// mappings apply to its datasets, and another application's stream of the same
// type keeps the cluster's template. A configured priority that ties is a
// config error naming the template. Each test uses its own `<type>` prefix, so
// its "Fleet" templates capture nothing of other tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { startWriter } from '../../../src/cli/writer-service.js';
import { patternsOverlap } from '../../../src/sinks/elasticsearch/template-priority.js';
import { runCli } from '../../helpers/cli.js';
import { committedTotal, createTopic, deleteTopic } from '../../services/index.js';
import {
  countDocs,
  esClient,
  eventMessages,
  logger,
  newWriterSetup,
  produce,
  skipReason,
  uniqueName,
  waitFor,
  writerConfig,
  writerRaw,
} from './helpers.js';

const skip = skipReason();

/** Installs a "Fleet" template: data stream, priority 200, a marker field in its mappings. */
async function fleetTemplate(
  es: ReturnType<typeof esClient>,
  name: string,
  pattern: string,
  priority: number,
): Promise<void> {
  await es.transport.request({
    method: 'PUT',
    path: `/_index_template/${name}`,
    body: {
      index_patterns: [pattern],
      priority,
      data_stream: {},
      template: { mappings: { properties: { fleet_marker: { type: 'keyword' } } } },
    },
  });
}

interface Mapped {
  type?: string;
  properties?: Record<string, Mapped>;
}

/** The mapped fields of the newest backing index of `target`. */
async function mappingOf(
  es: ReturnType<typeof esClient>,
  target: string,
): Promise<Record<string, Mapped>> {
  const body = await es.indices.getMapping({ index: target });
  const indices = Object.keys(body).sort();
  return body[indices[indices.length - 1]].mappings.properties as Record<string, Mapped>;
}

t.test(
  'with Fleet-like templates at priority 200 the writer starts, writes, and captures no other stream',
  { skip },
  async (t) => {
    const es = esClient();
    t.teardown(() => es.close());
    const type = uniqueName('fl');
    await fleetTemplate(es, `${type}-fleet-catchall`, `${type}-*-*`, 100);
    await fleetTemplate(es, `${type}-fleet-nginx.access`, `${type}-nginx.access-*`, 200);

    const setup = newWriterSetup('fleet-');
    setup.dataStream = `${type}-{{dataset}}-default`;
    await createTopic(setup.topic, 1);
    await createTopic(setup.dlq, 1);
    t.teardown(() =>
      Promise.all([deleteTopic(setup.topic), deleteTopic(setup.dlq)]).catch(() => {}),
    );
    await produce(setup.topic, eventMessages(30));

    const writer = await startWriter(writerConfig(setup), logger);
    t.ok(writer, 'the writer started');
    await waitFor(
      'all offsets committed',
      async () => (await committedTotal(setup.topic, setup.group)) === 30,
    );
    await writer!.stop();
    t.equal(await countDocs(es, `${type}-nginx.access-default`), 30, 'every event is indexed');

    const ours = (await es.transport.request({
      method: 'GET',
      path: `/_index_template/logpod-${type}-*`,
    })) as {
      index_templates: {
        name: string;
        index_template: { index_patterns: string[]; priority: number };
      }[];
    };
    const byPattern = new Map(
      ours.index_templates.map((x) => [x.index_template.index_patterns[0], x.index_template]),
    );
    t.same(
      [...byPattern.keys()].sort(),
      [`${type}-generic-*`, `${type}-nginx.access-*`, `${type}-nginx.error-*`],
      'one template per dataset, never <type>-*-default',
    );
    for (const tpl of byPattern.values()) {
      t.equal(tpl.priority, 201, 'one above the highest overlapping template');
    }
    const access = await mappingOf(es, `${type}-nginx.access-default`);
    t.equal(access.source.properties?.ip.type, 'ip', "logpod's mappings apply to its dataset");
    t.notOk(access.fleet_marker, 'not the Fleet template');

    // Another application writes its own stream of the same type.
    const other = `${type}-other-default`;
    for (const pattern of byPattern.keys()) {
      t.notOk(patternsOverlap(pattern, other), `${pattern} cannot match ${other}`);
    }
    await es.index({
      index: other,
      op_type: 'create',
      document: { '@timestamp': new Date().toISOString(), message: 'not nginx' },
      refresh: true,
    });
    const otherMapping = await mappingOf(es, other);
    t.equal(
      otherMapping.fleet_marker?.type,
      'keyword',
      "the other stream keeps the cluster's template",
    );
    t.notOk(otherMapping.event, 'and none of logpod’s mappings');
  },
);

t.test(
  'a configured priority that ties with an overlapping template is a config error naming it',
  { skip },
  async (t) => {
    const es = esClient();
    t.teardown(() => es.close());
    const type = uniqueName('fl');
    await fleetTemplate(es, `${type}-fleet-catchall`, `${type}-*-*`, 200);
    const setup = newWriterSetup('fleet-');
    setup.dataStream = `${type}-{{dataset}}-default`;
    await createTopic(setup.topic, 1);
    await createTopic(setup.dlq, 1);
    t.teardown(() =>
      Promise.all([deleteTopic(setup.topic), deleteTopic(setup.dlq)]).catch(() => {}),
    );
    const es200 = { template: { replicas: 0, refresh_interval: '1s', priority: 200 } };

    await t.rejects(
      startWriter(writerConfig(setup, es200), logger),
      {
        code: 'CONFIG_INVALID',
        message: new RegExp(
          `template\\.priority: 200 ties with the existing index template "${type}-fleet-catchall".*Set template\\.priority to 201 or more`,
        ),
      },
      'refused before anything is installed',
    );
    const installed = (await es.transport.request(
      { method: 'GET', path: `/_index_template/logpod-${type}-*` },
      { ignore: [404] },
    )) as { index_templates: unknown[] };
    t.equal(installed.index_templates.length, 0, 'no template of logpod was installed');

    // The command says it and exits with the config code (2), not a crash loop of 400s.
    const dir = t.testdir();
    const file = join(dir, 'writer.yaml');
    writeFileSync(file, stringify(writerRaw(setup, es200)));
    const run = await runCli(['writer', '--config', file], { timeoutMs: 120_000 });
    t.equal(run.code, 2, 'exit code 2 (configuration)');
    t.match(run.stdout + run.stderr, `${type}-fleet-catchall`);
    t.match(run.stdout + run.stderr, 'template.priority');

    t.ok(
      await startWriter(writerConfig(setup, { template: { replicas: 0, priority: 300 } }), logger)
        .then((w) => w?.stop())
        .then(() => true),
      'a priority above it starts',
    );
  },
);
