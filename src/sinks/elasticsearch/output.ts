// output.elasticsearch settled once into running parts: the client, the
// target (data stream or dated index), the index template, the bulk writer and
// its stats. Shared by the writer command and the direct Sink.

import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchOutputConfig } from '../../config/types.js';
import { LogpodError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../../support/backoff.js';
import { BulkWriter } from './bulk-writer.js';
import { createClient } from './client.js';
import type { DocTarget } from './document.js';
import { IndexNamer, defaultTemplateName, indexPattern } from './index-name.js';
import { ElasticsearchStats } from './stats.js';
import { installTemplate, type TemplateOptions } from './template.js';

export class ElasticsearchOutput {
  readonly client: Client;
  readonly target: DocTarget;
  readonly template: TemplateOptions;
  readonly backoff: BackoffPolicy;
  readonly stats = new ElasticsearchStats();
  readonly bulk: BulkWriter;

  constructor(
    readonly config: ElasticsearchOutputConfig,
    private readonly logger: Logger,
  ) {
    this.client = createClient(config);
    const kind = config.index !== undefined ? 'index' : 'data_stream';
    const name = config.index ?? config.data_stream!;
    this.target = { kind, namer: new IndexNamer(name) };
    const pattern = indexPattern(name);
    const t = config.template;
    this.template = {
      name: t.name !== '' ? t.name : defaultTemplateName(pattern),
      pattern,
      kind,
      priority: t.priority,
      shards: t.shards,
      replicas: t.replicas,
      refreshIntervalMs: t.refresh_interval,
    };
    this.backoff = { initialMs: config.retry_initial_backoff, maxMs: config.retry_max_backoff };
    this.bulk = new BulkWriter(this.client, this.backoff, this.stats, logger);
  }

  /** Installs the index template, waiting (with backoff) while Elasticsearch is unreachable. */
  async prepare(signal?: AbortSignal): Promise<void> {
    if (!this.config.template.install) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await installTemplate(this.client, this.template);
        this.logger.info(
          { template: this.template.name, pattern: this.template.pattern },
          'index template installed',
        );
        return;
      } catch (err) {
        if (!(err instanceof LogpodError) || !err.retryable) throw err;
        this.stats.recordError(err);
        if (attempt === 0) this.logger.warn({ err }, 'Elasticsearch unreachable; waiting');
        await sleep(backoffDelay(attempt, this.backoff), signal);
      }
    }
  }

  /** True when the cluster answers (for readiness). */
  async ping(): Promise<boolean> {
    try {
      return await this.client.ping();
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
