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
import { IndexNamer, defaultTemplateName, templateTargets } from './index-name.js';
import { RolloverGuard } from './rollover-guard.js';
import { ElasticsearchStats } from './stats.js';
import { choosePriority, DEFAULT_PRIORITY, overlappingTemplates } from './template-priority.js';
import { existingTemplates, installTemplate, type TemplateOptions } from './template.js';

export class ElasticsearchOutput {
  readonly client: Client;
  readonly target: DocTarget;
  /** One template per dataset logpod writes (one when the target has no {{dataset}}). */
  readonly templates: TemplateOptions[];
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
    const t = config.template;
    this.templates = templateTargets(name, kind, t.datasets).map(({ dataset, pattern }) => ({
      name:
        t.name === ''
          ? defaultTemplateName(pattern)
          : dataset === undefined
            ? t.name
            : `${t.name}-${dataset}`,
      pattern,
      kind,
      // Settled in prepare(), against the templates the cluster already has.
      priority: t.priority ?? DEFAULT_PRIORITY,
      shards: t.shards,
      replicas: t.replicas,
      refreshIntervalMs: t.refresh_interval,
    }));
    this.backoff = { initialMs: config.retry_initial_backoff, maxMs: config.retry_max_backoff };
    const guard =
      kind === 'data_stream' && config.rollover_check
        ? new RolloverGuard(this.client, this.backoff, logger)
        : undefined;
    this.bulk = new BulkWriter(this.client, this.backoff, this.stats, logger, guard);
  }

  /**
   * Installs the index templates at a priority that cannot tie with an overlapping
   * template of the cluster, waiting (with backoff) while Elasticsearch is unreachable.
   */
  async prepare(signal?: AbortSignal): Promise<void> {
    if (!this.config.template.install) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.installTemplates();
        return;
      } catch (err) {
        if (!(err instanceof LogpodError) || !err.retryable) throw err;
        this.stats.recordError(err);
        if (attempt === 0) this.logger.warn({ err }, 'Elasticsearch unreachable; waiting');
        await sleep(backoffDelay(attempt, this.backoff), signal);
      }
    }
  }

  private async installTemplates(): Promise<void> {
    const existing = await existingTemplates(this.client);
    const names = new Set(this.templates.map((t) => t.name));
    const patterns = this.templates.map((t) => t.pattern);
    const { priority, outranked } = choosePriority(
      existing,
      names,
      patterns,
      this.config.template.priority,
    );
    for (const other of outranked) {
      this.logger.warn(
        { template: other.name, patterns: other.patterns, priority: other.priority },
        'an existing index template outranks output.elasticsearch.template.priority where they overlap; its mappings apply there',
      );
    }
    for (const template of this.templates) {
      template.priority = priority;
      await installTemplate(this.client, template);
      this.logger.info(
        { template: template.name, pattern: template.pattern, priority },
        'index template installed',
      );
    }
    for (const old of overlappingTemplates(existing, names, patterns)) {
      if (!old.managedByLogpod) continue;
      this.logger.warn(
        { template: old.name, patterns: old.patterns },
        'another logpod index template overlaps these (an earlier version installed logs-*-default); delete it if no logpod writes its targets',
      );
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
