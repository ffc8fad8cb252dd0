// The Kafka output's public face: the sink the agent runs, the client options
// the writer reuses, and the message format both sides agree on.

export { KafkaSink, type KafkaSinkOptions } from './kafka-sink.js';
export { kafkaClientOptions, KAFKA_COMPRESSION } from './client-options.js';
export {
  LOGPOD_SCHEMA_HEADER,
  LOGPOD_SCHEMA_VERSION,
  CONTENT_TYPE_HEADER,
  CONTENT_TYPE_JSON,
  CONTENT_TYPE_NDJSON,
  EVENT_COUNT_HEADER,
} from '../../topic/contract.js';
export { MAX_EVENT_BYTES } from './record-packer.js';
export { KafkaSinkStats } from './stats.js';
export {
  KAFKA_REFUSAL_REASONS,
  type KafkaRefusal,
  type KafkaRefusalReason,
} from './kafka-refusal.js';
export { kafkajsLogCreator } from './kafkajs-log.js';
