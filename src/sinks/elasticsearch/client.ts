// The @elastic/elasticsearch client built from output.elasticsearch: nodes,
// authentication, TLS and timeouts. The client's own retries are off: the bulk
// writer retries failed items itself, with backoff, for as long as it takes.

import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { readOptionFile } from '../../config/option-file.js';
import type { ElasticsearchOutputConfig } from '../../config/types.js';

export function clientOptions(config: ElasticsearchOutputConfig): ClientOptions {
  const options: ClientOptions = {
    nodes: config.hosts,
    maxRetries: 0,
    requestTimeout: config.request_timeout,
    compression: false,
    tls: { rejectUnauthorized: config.tls.reject_unauthorized },
  };
  if (config.tls.ca_file !== undefined) {
    const ca = readOptionFile(config.tls.ca_file, 'output.elasticsearch.tls.ca_file');
    options.tls = { ...options.tls, ca };
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
