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
