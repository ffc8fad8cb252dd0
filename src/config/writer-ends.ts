// The writer's two ends read off a loaded Config: the Kafka topic it consumes
// (writer.kafka) and the Elasticsearch output it writes to. A config without
// both is not a writer's config.

import { ErrorCodes, LogpodError } from '../errors.js';
import type { Config, ElasticsearchOutputConfig, WriterKafkaConfig } from './types.js';

export interface WriterEnds {
  kafka: WriterKafkaConfig;
  elasticsearch: ElasticsearchOutputConfig;
}

/** Throws CONFIG_INVALID unless the config has writer.kafka and output.elasticsearch. */
export function writerEnds(config: Config): WriterEnds {
  if (config.writer === undefined || config.output.kind !== 'elasticsearch') {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      'the writer needs writer.kafka and output.elasticsearch in its config',
    );
  }
  return { kafka: config.writer.kafka, elasticsearch: config.output };
}
