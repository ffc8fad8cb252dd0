// Types of harness.js, the test services API (see index.ts).

export function kafkaBrokers(): string;
export function elasticsearchUrl(): string;
export function servicesAvailable(): { kafka: boolean; elasticsearch: boolean };
export function stopKafka(): Promise<void>;
export function startKafka(): Promise<void>;
export function stopElasticsearch(): Promise<void>;
export function startElasticsearch(): Promise<void>;
export function createTopic(name: string, partitions?: number): Promise<void>;
export function deleteTopic(name: string): Promise<void>;
/** Messages in a topic (high - low watermark over partitions); 0 when it does not exist. */
export function topicMessages(topic: string): Promise<number>;
/** The group's committed offsets summed over partitions (-1 offsets count as 0). */
export function committedTotal(topic: string, group: string): Promise<number>;
/** A second node with a small http.max_content_length, in its own dir and on ports + portOffset. */
export function startExtraElasticsearch(options: {
  name: string;
  portOffset: number;
  maxContentLength: string;
}): Promise<{ url: string; stop(): Promise<void> }>;

export interface SecureKafkaUser {
  mechanism: 'plain' | 'scram-sha-512';
  username: string;
  password: string;
}
/** The SASL/TLS broker of secure-kafka.js: listeners (host:port), CA files and users. */
export function secureKafka(): {
  internal: string;
  scram: string;
  plain: string;
  expired: string;
  caFile: string;
  unknownCaFile: string;
  users: { scram: SecureKafkaUser; plain: SecureKafkaUser };
};
export function startSecureKafka(): Promise<void>;
export function createSecureTopic(name: string, partitions?: number): Promise<void>;
