// The test services for integration tests: Kafka and Elasticsearch started by
// `node test/services/services.js start all` (or named by LOGPOD_TEST_KAFKA and
// LOGPOD_TEST_ES). The logic is plain JS in harness.js, shared with that CLI.
export {
  kafkaBrokers,
  elasticsearchUrl,
  servicesAvailable,
  stopKafka,
  startKafka,
  stopElasticsearch,
  startElasticsearch,
  startExtraElasticsearch,
  createTopic,
  deleteTopic,
  topicMessages,
  committedTotal,
  secureKafka,
  startSecureKafka,
  createSecureTopic,
} from './harness.js';
