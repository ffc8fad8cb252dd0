// The @elastic/elasticsearch client built from output.elasticsearch: nodes,
// authentication, TLS and timeouts. The client's own retries are off: the bulk
// writer retries failed items itself, with backoff, for as long as it takes.

import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { ElasticsearchOutputConfig } from '../../config/types.js';
import { ErrorCodes, LogpodError } from '../../errors.js';

export function clientOptions(config: ElasticsearchOutputConfig): ClientOptions {
  const options: ClientOptions = {
    nodes: config.hosts,
    maxRetries: 0,
    requestTimeout: config.request_timeout,
    compression: false,
    tls: { rejectUnauthorized: config.tls.reject_unauthorized },
  };
  if (config.tls.ca_file !== undefined) {
    try {
      options.tls = { ...options.tls, ca: readFileSync(config.tls.ca_file) };
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
      throw new LogpodError(
        ErrorCodes.CONFIG_INVALID,
        `output.elasticsearch.tls.ca_file: cannot read ${config.tls.ca_file} (${reason})`,
        { cause },
      );
    }
  }
  if (config.api_key !== undefined) options.auth = { apiKey: config.api_key };
  else if (config.username !== undefined) {
    options.auth = { username: config.username, password: config.password ?? '' };
  }
  return options;
}

export function createClient(config: ElasticsearchOutputConfig): Client {
  return new Client(clientOptions(config));
}
