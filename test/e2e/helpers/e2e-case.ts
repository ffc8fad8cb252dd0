// One end-to-end case: a temp dir, its own Kafka topic, Elasticsearch index and
// nginx, and `logpod agent` -> Kafka -> `logpod writer` -> Elasticsearch as real
// processes. Teardown always kills the children, stops nginx, brings stopped
// services back and drops the topic, indices and template, even after a failure.

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { Test } from 'tap';
import {
  createTopic,
  deleteTopic,
  elasticsearchUrl,
  kafkaBrokers,
  servicesAvailable,
  startElasticsearch,
  startKafka,
} from '../../services/index.js';
import { dropCase, esClient } from './es-check.js';
import { runLoad, type LoadResult } from './load.js';
import { LogpodProcess } from './logpod-process.js';
import { CUSTOM_LOG_FORMAT, Nginx, type LogFormatName } from './nginx.js';

export interface CaseOptions {
  /** Lowercase letters, digits and '-': it is in every URL, the topic and the index name. */
  name: string;
  format?: LogFormatName;
}

/** A line the test appends to nginx's log itself, and what logpod must make of it. */
export interface InjectedLine {
  raw: Buffer;
  /** Its request path when it has one (it must then be indexed like nginx's lines). */
  id?: string;
  /** Text at the start of a line without a request path, to find its document. */
  marker?: string;
  /** Tags its document must carry. */
  tags: string[];
}

/** Why the suite cannot run here, or false. `stops` names a service the case stops. */
export function e2eSkip(stops?: 'kafka' | 'elasticsearch'): string | false {
  if (spawnSync('nginx', ['-v'], { stdio: 'ignore' }).error !== undefined)
    return 'nginx is not installed (scripts/install-system-deps.sh installs nginx-light)';
  if (!existsSync(new URL('../../../dist/cli/main.js', import.meta.url)))
    return 'dist/ is not built (npm run build)';
  const s = servicesAvailable();
  if (!s.kafka || !s.elasticsearch)
    return 'Kafka and Elasticsearch test services are not running (node test/services/services.js start all)';
  if (stops === 'kafka' && process.env.LOGPOD_TEST_KAFKA)
    return 'stops Kafka: only with the harness-run broker';
  if (stops === 'elasticsearch' && process.env.LOGPOD_TEST_ES)
    return 'stops Elasticsearch: only with the harness-run node';
  return false;
}

export class E2eCase {
  readonly id = randomBytes(4).toString('hex');
  readonly topic: string;
  readonly dlq: string;
  readonly indexPattern: string;
  readonly template: string;
  readonly format: LogFormatName;
  readonly injected: InjectedLine[] = [];
  readonly es: Client = esClient();
  readonly agent: LogpodProcess;
  readonly writer: LogpodProcess;
  nginx!: Nginx;
  private readonly loads = new AbortController();

  constructor(
    readonly name: string,
    readonly dir: string,
    options: CaseOptions,
  ) {
    this.format = options.format ?? 'main';
    this.topic = `e2e-${name}-${this.id}`;
    this.dlq = `${this.topic}-dlq`;
    const base = `e2e-${this.id}-${name}`;
    this.indexPattern = `${base}-*`;
    this.template = base;
    this.agent = new LogpodProcess('agent', join(dir, 'agent.yaml'));
    this.writer = new LogpodProcess('writer', join(dir, 'writer.yaml'));
  }

  /** The agent's data dir; the registry is in <dataDir>/inputs/access/. */
  get dataDir(): string {
    return join(this.dir, 'agent-data');
  }

  get registryDir(): string {
    return join(this.dataDir, 'inputs', 'access');
  }

  async writeConfigs(): Promise<void> {
    const input: Record<string, unknown> = {
      id: 'access',
      paths: [join(this.nginx.logDir, 'access.log*')],
      format: this.format === 'main' ? 'main' : 'custom',
      start_at: 'beginning',
    };
    if (this.format === 'custom') input.log_format = CUSTOM_LOG_FORMAT;
    // JSON is YAML: the config files are written with JSON.stringify.
    const agent = {
      data_dir: this.dataDir,
      inputs: [input],
      registry: { flush_interval: '1s' },
      output: { kafka: { brokers: [kafkaBrokers()], topic: this.topic } },
      server: { enabled: false },
      shutdown: { timeout: '15s' },
    };
    const writer = {
      data_dir: join(this.dir, 'writer-data'),
      writer: {
        kafka: {
          brokers: [kafkaBrokers()],
          topic: this.topic,
          group_id: `${this.topic}-writer`,
          dead_letter_topic: this.dlq,
          // A SIGKILLed writer's partitions move to its successor after this long.
          session_timeout: '10s',
        },
      },
      output: {
        elasticsearch: {
          hosts: [elasticsearchUrl()],
          index: `e2e-${this.id}-${this.name}-{{dataset}}-%Y.%m.%d`,
          template: { name: this.template, replicas: 0, refresh_interval: '1s' },
          batch_max_wait: '200ms',
          retry_max_backoff: '5s',
          request_timeout: '10s',
        },
      },
      server: { enabled: false },
      shutdown: { timeout: '15s' },
    };
    await writeFile(this.agent.configPath, JSON.stringify(agent, null, 2));
    await writeFile(this.writer.configPath, JSON.stringify(writer, null, 2));
  }

  /** Load tool and scripted requests against nginx for `seconds`. */
  load(seconds: number): Promise<LoadResult> {
    return runLoad({
      baseUrl: this.nginx.baseUrl,
      caseName: this.name,
      seconds,
      dir: this.dir,
      signal: this.loads.signal,
    });
  }

  /**
   * Appends lines to nginx's access log, each in one write(2) with O_APPEND as nginx
   * does, so they never interleave with nginx's own lines (fs.appendFile would cut a
   * large buffer into 512 KiB writes).
   */
  async inject(lines: InjectedLine[]): Promise<void> {
    const file = await open(this.nginx.accessLog, 'a');
    try {
      for (const line of lines) {
        const data = Buffer.concat([line.raw, Buffer.from('\n')]);
        const { bytesWritten } = await file.write(data);
        if (bytesWritten !== data.length) throw new Error('a short write to the access log');
        this.injected.push(line);
      }
    } finally {
      await file.close();
    }
  }

  /** Stops everything the case started; never throws. */
  async cleanup(t: Test, restoreServices: boolean): Promise<void> {
    this.loads.abort();
    if (!t.passing()) {
      for (const p of [this.agent, this.writer])
        process.stderr.write(`\n--- ${p.role} output (tail) ---\n${p.logs.slice(-6000)}\n`);
    }
    await this.agent.kill('SIGKILL').catch(() => {});
    await this.writer.kill('SIGKILL').catch(() => {});
    await this.nginx?.stop();
    if (process.env.LOGPOD_E2E_KEEP) {
      // For a post-mortem: the temp dir, topics and indices stay; the logs are written out.
      await writeFile(join(this.dir, 'agent.out'), this.agent.logs);
      await writeFile(join(this.dir, 'writer.out'), this.writer.logs);
      process.stderr.write(`kept ${this.dir}, topic ${this.topic}, ${this.indexPattern}\n`);
      return;
    }
    if (restoreServices) {
      await startKafka().catch(() => {});
      await startElasticsearch().catch(() => {});
    }
    await deleteTopic(this.topic).catch(() => {});
    await deleteTopic(this.dlq).catch(() => {});
    await dropCase(this.es, this.indexPattern, this.template);
    await this.es.close().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Sets a case up and running: topics, nginx, agent and writer started and ready. */
export async function startCase(
  t: Test,
  options: CaseOptions & { restoreServices?: boolean },
): Promise<E2eCase> {
  if (!/^[a-z0-9-]+$/.test(options.name)) throw new Error(`bad case name ${options.name}`);
  const dir = await mkdtemp(join(tmpdir(), `logpod-case-${options.name}-`));
  const c = new E2eCase(options.name, dir, options);
  t.teardown(() => c.cleanup(t, options.restoreServices ?? false));
  await createTopic(c.topic, 2);
  await createTopic(c.dlq, 1);
  c.nginx = await Nginx.start({ dir, format: c.format });
  await mkdir(c.dataDir, { recursive: true });
  await c.writeConfigs();
  c.agent.start();
  c.writer.start();
  await c.agent.waitForLog('logpod agent started');
  await c.writer.waitForLog('logpod writer started');
  return c;
}
