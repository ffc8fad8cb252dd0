// The index template installed at start: ECS mappings for the fields logpod
// writes (core field types only, so any Elasticsearch 8 accepts it), dynamic
// mapping for the rest, and the user's shards, replicas and refresh interval.
// PUT _index_template is idempotent: every writer may install it at start.

import type { Client } from '@elastic/elasticsearch';
import { ErrorCodes, LogpodError } from '../../errors.js';
import type { TargetKind } from './index-name.js';
import { parseTemplates, type ExistingTemplate } from './template-priority.js';

export interface TemplateOptions {
  name: string;
  pattern: string;
  kind: TargetKind;
  priority: number;
  shards: number;
  replicas: number;
  refreshIntervalMs: number;
}

const keyword = { type: 'keyword', ignore_above: 1024 };
const long = { type: 'long' };

function obj(properties: Record<string, unknown>): Record<string, unknown> {
  return { properties };
}

/** ECS mappings of the fields logpod's parsers and enrichers produce. */
export const ECS_MAPPINGS = {
  dynamic: true,
  dynamic_templates: [
    {
      strings_as_keyword: {
        match_mapping_type: 'string',
        mapping: { type: 'keyword', ignore_above: 1024 },
      },
    },
  ],
  properties: {
    '@timestamp': { type: 'date' },
    message: { type: 'text' },
    tags: keyword,
    event: obj({
      id: keyword,
      dataset: keyword,
      kind: keyword,
      duration: long,
      // Kept in _source for reprocessing; neither searchable nor aggregatable.
      original: { type: 'keyword', index: false, doc_values: false },
    }),
    source: obj({
      ip: { type: 'ip' },
      address: keyword,
      geo: obj({
        location: { type: 'geo_point' },
        country_iso_code: keyword,
        country_name: keyword,
        region_name: keyword,
        city_name: keyword,
      }),
      as: obj({ number: long, organization: obj({ name: keyword }) }),
    }),
    url: obj({
      original: { type: 'keyword', ignore_above: 8191, fields: { text: { type: 'text' } } },
      path: keyword,
      query: keyword,
    }),
    http: obj({
      version: keyword,
      request: obj({ method: keyword, referrer: keyword }),
      response: obj({ status_code: long, body: obj({ bytes: long }) }),
    }),
    user_agent: obj({
      original: { type: 'keyword', ignore_above: 1024, fields: { text: { type: 'text' } } },
      name: keyword,
      version: keyword,
      device: obj({ name: keyword }),
      os: obj({ name: keyword, version: keyword, full: keyword }),
      // Set by the user-agent enrichment (not ECS): true for crawlers and tools.
      bot: { type: 'boolean' },
    }),
    nginx: obj({
      access: obj({
        // The proxy that connected, when the client came from X-Forwarded-For.
        peer_ip: { type: 'ip' },
        remote_ip_list: keyword,
      }),
    }),
    log: obj({ level: keyword, offset: long, file: obj({ path: keyword }) }),
    host: obj({ name: keyword }),
  },
} as const;

export function templateBody(options: TemplateOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    index_patterns: [options.pattern],
    priority: options.priority,
    template: {
      settings: {
        number_of_shards: options.shards,
        number_of_replicas: options.replicas,
        refresh_interval: `${options.refreshIntervalMs}ms`,
      },
      mappings: ECS_MAPPINGS,
    },
    _meta: { managed_by: 'logpod' },
  };
  if (options.kind === 'data_stream') body.data_stream = {};
  return body;
}

function unavailable(cause: unknown, what: string): LogpodError {
  // No status at all (connection refused, timeout: the client reports 0 or
  // none) means Elasticsearch is unreachable, which waiting fixes.
  const status = (cause as { meta?: { statusCode?: number | null } }).meta?.statusCode;
  const retryable = !status || status === 429 || status >= 500;
  return new LogpodError(
    retryable ? ErrorCodes.ELASTICSEARCH_UNAVAILABLE : ErrorCodes.CONFIG_INVALID,
    `${what}: ${(cause as Error).message}`,
    { cause, retryable },
  );
}

/** The composable index templates the cluster has (GET _index_template). */
export async function existingTemplates(client: Client): Promise<ExistingTemplate[]> {
  try {
    const body = await client.transport.request({ method: 'GET', path: '/_index_template' });
    return parseTemplates(body);
  } catch (cause) {
    // A cluster without any template answers 404 on some versions.
    if ((cause as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return [];
    throw unavailable(cause, 'cannot list the index templates');
  }
}

/** PUT _index_template/<name>; a refusal (bad settings, overlapping template) is a config error. */
export async function installTemplate(client: Client, options: TemplateOptions): Promise<void> {
  try {
    await client.transport.request({
      method: 'PUT',
      path: `/_index_template/${encodeURIComponent(options.name)}`,
      body: templateBody(options),
    });
  } catch (cause) {
    throw unavailable(cause, `cannot install index template ${options.name}`);
  }
}
