// `logpod writer`: consumes the events topic in a consumer group and writes
// the events to Elasticsearch with _bulk (create, _id = event.id). Offsets are
// committed only over settled documents (indexed, 409 duplicate, dead-lettered);
// SIGTERM stops consuming, settles in-flight bulks within shutdown.timeout, exits 0.

import { buildConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { writerEnds } from '../config/writer-ends.js';
import { ExitCodes } from '../errors.js';
import { createLogger, effectiveLogLevel, type Logger } from '../logger.js';
import { backoffDelay } from '../support/backoff.js';
import { isPlainObject } from '../support/plain-object.js';
import { ElasticsearchOutput } from '../sinks/elasticsearch/output.js';
import { RecordWriter } from '../sinks/elasticsearch/record-writer.js';
import type { ElasticsearchStats } from '../sinks/elasticsearch/stats.js';
import { kafkaClientOptions } from '../sinks/kafka/client-options.js';
import { KafkaBatchConsumer, type ConsumerProgress } from '../sources/kafka/consumer.js';
import { DeadLetterTopic } from '../sources/kafka/dead-letter-topic.js';
import { parseFlags, usageError } from './args.js';
import { applyListenFlag, readRawConfig, type RawConfig } from './flag-overrides.js';
import { onStopSignal } from './lifecycle.js';
import { withDeadline } from '../support/deadline.js';
import { writerProbes } from './writer-probes.js';

export const WRITER_HELP = `Usage: logpod writer [--config FILE] [options]

Consumes the events topic in a consumer group and writes every event to
Elasticsearch exactly once (_bulk create with _id = event.id; a replay is a
409 duplicate). Offsets are committed only after each document is indexed, a
known duplicate, or in the dead-letter topic. Flags override the config file.

Options:
  -c, --config FILE          config file with writer.kafka and output.elasticsearch
      --brokers HOST:PORT    Kafka bootstrap brokers (comma-separated)
      --topic T              the events topic
      --group G              consumer group id (default logpod-writer)
      --dead-letter-topic T  rejected documents go here (default <topic>-dlq)
      --elasticsearch URL    Elasticsearch node URL (comma-separated for several)
      --data-stream NAME     data stream, {{dataset}} allowed (default logs-{{dataset}}-default)
      --index NAME           dated indices instead, e.g. logpod-{{dataset}}-%Y.%m.%d
      --listen HOST:PORT     probe server address (/startupz /livez /readyz /metrics /status);
                             ready while Kafka and Elasticsearch are reachable
  -h, --help                 this help

Stops cleanly on SIGTERM/SIGINT within shutdown.timeout; exit 0.
`;

const FLAGS = {
  config: { type: 'string', short: 'c' },
  brokers: { type: 'string' },
  topic: { type: 'string' },
  group: { type: 'string' },
  'dead-letter-topic': { type: 'string' },
  elasticsearch: { type: 'string' },
  'data-stream': { type: 'string' },
  index: { type: 'string' },
  listen: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type WriterFlags = Partial<Record<Exclude<keyof typeof FLAGS, 'help' | 'listen'>, string>>;

function mapping(value: unknown): RawConfig {
  return isPlainObject(value) ? (value as RawConfig) : {};
}

/** Patches the raw config (before validation) with the writer's flags. */
export function applyWriterFlags(raw: RawConfig, flags: WriterFlags): void {
  const writer = mapping(raw.writer);
  const kafka = mapping(writer.kafka);
  if (flags.brokers !== undefined) kafka.brokers = [flags.brokers];
  if (flags.topic !== undefined) kafka.topic = flags.topic;
  if (flags.group !== undefined) kafka.group_id = flags.group;
  if (flags['dead-letter-topic'] !== undefined)
    kafka.dead_letter_topic = flags['dead-letter-topic'];
  if (raw.writer !== undefined || Object.keys(kafka).length > 0) raw.writer = { ...writer, kafka };
  const output = mapping(raw.output);
  const es = mapping(output.elasticsearch);
  if (flags.elasticsearch !== undefined)
    es.hosts = flags.elasticsearch.split(',').map((h) => h.trim());
  if (flags['data-stream'] !== undefined) {
    es.data_stream = flags['data-stream'];
    delete es.index;
  }
  if (flags.index !== undefined) {
    es.index = flags.index;
    delete es.data_stream;
  }
  if (Object.keys(es).length > 0) raw.output = { elasticsearch: es };
}

export async function writerCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(WRITER_HELP);
    return ExitCodes.OK;
  }
  if (flags['data-stream'] !== undefined && flags.index !== undefined) {
    throw usageError('give --data-stream or --index, not both');
  }
  const { raw, source } = readRawConfig(flags.config);
  applyWriterFlags(raw, flags);
  applyListenFlag(raw, flags.listen);
  if (raw.writer === undefined)
    throw usageError('the writer needs writer.kafka in --config, or --brokers and --topic');
  if (mapping(raw.output).elasticsearch === undefined) {
    throw usageError('the writer needs output.elasticsearch in --config, or --elasticsearch URL');
  }
  const config = buildConfig(raw, source);
  const logger = createLogger(effectiveLogLevel(config.logging.level));
  const stop = onStopSignal(logger);
  const probes = config.server.enabled ? writerProbes(config, logger) : undefined;
  try {
    await probes?.server.start();
    const writer = await startWriter(config, logger, stop.requested);
    if (writer === undefined) return ExitCodes.OK;
    probes?.started({ stats: writer.stats, pingElasticsearch: writer.pingElasticsearch });
    await stop.requested;
    const clean = await withDeadline(writer.stop(), config.shutdown.timeout + 2_000);
    logger.info({ stats: writer.stats.snapshot(), clean }, 'logpod writer stopped');
    return clean ? ExitCodes.OK : ExitCodes.SHUTDOWN_TIMEOUT;
  } finally {
    await probes?.stop();
    stop.dispose();
  }
}

export interface RunningWriter {
  readonly stats: ElasticsearchStats;
  /** True when Elasticsearch answers (for readiness). */
  pingElasticsearch(): Promise<boolean>;
  readonly progress: ConsumerProgress;
  /** Stops consuming, settles in-flight bulks within shutdown.timeout, commits, disconnects. */
  stop(): Promise<void>;
}

/**
 * Installs the template (waiting for Elasticsearch), connects the dead-letter producer and
 * the consumer. Resolves undefined if `cancelled` settles first (a stop before the start).
 */
export async function startWriter(
  config: Config,
  logger: Logger,
  cancelled: Promise<unknown> = new Promise(() => {}),
): Promise<RunningWriter | undefined> {
  const { kafka: k, elasticsearch: esConfig } = writerEnds(config);
  const output = new ElasticsearchOutput(esConfig, logger);
  const startAbort = new AbortController();
  void cancelled.then(() => startAbort.abort(new Error('stopped before start')));
  try {
    await output.prepare(startAbort.signal);
  } catch (err) {
    await output.close();
    if (startAbort.signal.aborted) return undefined;
    throw err;
  }
  const client = kafkaClientOptions(k);
  const dlq = new DeadLetterTopic(client, k.dead_letter_topic, logger);
  await dlq.connect();
  const retryDelay = (attempt: number) => backoffDelay(attempt, output.backoff);
  const records = new RecordWriter(
    output.bulk,
    output.target,
    (entries, signal) => dlq.send(entries, signal, retryDelay),
    output.stats,
  );
  const consumer = new KafkaBatchConsumer(
    {
      client,
      topic: k.topic,
      groupId: k.group_id,
      fromBeginning: k.start_at === 'earliest',
      sessionTimeoutMs: k.session_timeout,
      batchMaxEvents: esConfig.batch_max_events,
      batchMaxBytes: esConfig.batch_max_bytes,
      batchMaxWaitMs: esConfig.batch_max_wait,
      maxInFlight: esConfig.max_in_flight_requests,
    },
    (batch, signal) => records.write(batch, signal),
    logger,
  );
  output.stats.lag = consumer.lag;
  await consumer.start();
  logger.info(
    { topic: k.topic, group: k.group_id, target: esConfig.index ?? esConfig.data_stream },
    'logpod writer started',
  );
  return {
    stats: output.stats,
    pingElasticsearch: () => output.ping(),
    progress: consumer,
    stop: async () => {
      // Leave a second of the budget for the commit and the group leave.
      await consumer.stop(Math.max(1, config.shutdown.timeout - 1_000));
      await dlq.close().catch(() => {});
      await output.close().catch(() => {});
    },
  };
}
