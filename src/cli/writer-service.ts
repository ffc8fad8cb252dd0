// The long-running side of `writer`, beside pipeline-service.ts for `run` and
// `agent`: starts the probe server, then the writer (template installed while
// waiting for Elasticsearch, dead-letter producer, consumer group), and on a
// stop signal stops consuming, settles in-flight bulks within
// shutdown.timeout, commits, and exits. Records go Kafka -> events -> the
// enrich stage (GeoIP and user agent by default, writerStages) -> _bulk create
// with _id = event.id; offsets are committed only over settled documents
// (indexed, 409, dead-lettered). An event the agent already enriched passes
// the stage unchanged (the enrichers skip what carries their fields).
// Kafka trouble never ends the process: connecting is retried with backoff,
// and a refusal (credentials, TLS, missing topic) is reported while it lasts.

import type { Config } from '../config/types.js';
import { writerEnds } from '../config/writer-ends.js';
import { ExitCodes } from '../errors.js';
import { transportWarnings } from '../config/transport-warnings.js';
import { createLogger, effectiveLogLevel, type Logger } from '../logger.js';
import { backoffDelay } from '../support/backoff.js';
import { withDeadline } from '../support/deadline.js';
import type { EventStage } from '../pipeline/stage.js';
import { KafkaBatchConsumer, type ConsumerProgress } from '../sources/kafka/consumer.js';
import { ElasticsearchOutput } from '../sinks/elasticsearch/output.js';
import { RecordWriter } from '../sinks/elasticsearch/record-writer.js';
import type { ElasticsearchStats } from '../sinks/elasticsearch/stats.js';
import { kafkaClientOptions } from '../sinks/kafka/client-options.js';
import { DeadLetterTopic } from '../sinks/kafka/dead-letter-topic.js';
import { explainRefusal, RefusalTracker, type KafkaRefusal } from '../sinks/kafka/kafka-refusal.js';
import { buildEnrichStage } from '../enrich/event-stage.js';
import { onStopSignal } from './lifecycle.js';
import { writerProbes } from './writer-probes.js';

const STOPPED: unique symbol = Symbol('stopped');

/**
 * The stages the writer runs between reading records and indexing: enrichment as
 * config.enrich says (the writer's role defaults: GeoIP and user agent on,
 * Kubernetes off, since the writer's own pod says nothing about the events).
 * Alerts stay with the agent and run. Modules of disabled enrichers are not loaded.
 */
export async function writerStages(
  config: Config,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EventStage[]> {
  const { stage } = await buildEnrichStage(config.enrich, logger, env);
  logger.debug(
    { enrichers: stage?.enrichers.map((e) => e.constructor.name) ?? [] },
    'writer stages built',
  );
  return stage === undefined ? [] : [stage];
}

export async function runWriterService(config: Config): Promise<number> {
  const logger = createLogger(effectiveLogLevel(config.logging.level));
  for (const warning of transportWarnings(config)) logger.warn(warning);
  // Before anything connects: a GeoIP database that cannot be read is a config error.
  const stages = await writerStages(config, logger);
  const stop = onStopSignal(logger);
  const probes = config.server.enabled ? writerProbes(config, logger) : undefined;
  try {
    await probes?.server.start();
    const starting = startWriter(config, logger, {
      cancelled: stop.requested,
      stages,
      onKafkaRefusal: (refusal) => probes?.kafkaRefused(refusal),
    });
    const first = await Promise.race([
      starting,
      stop.requested.then((): typeof STOPPED => STOPPED),
    ]);
    if (first === STOPPED || first === undefined) {
      // A stop during start-up: the template wait is cancelled; Kafka connects
      // still under way get shutdown.timeout to settle, then are abandoned.
      const settled = await withDeadline(
        starting.then((w) => w?.stop()).catch(() => undefined),
        config.shutdown.timeout,
      );
      logger.info({ clean: settled }, 'logpod writer stopped during start-up');
      return settled ? ExitCodes.OK : ExitCodes.SHUTDOWN_TIMEOUT;
    }
    const writer = first;
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

export interface WriterOptions {
  /** Settles to give up a start still waiting for Elasticsearch (a stop before the start). */
  cancelled?: Promise<unknown>;
  /**
   * Run on every consumed batch before it is indexed, as the agent's pipeline runs them.
   * runWriterService passes writerStages(config); none when not given.
   */
  stages?: readonly EventStage[];
  /** Hears Kafka refusing the writer (credentials, TLS, topic) while it connects; undefined once it accepts. */
  onKafkaRefusal?: (refusal: KafkaRefusal | undefined) => void;
}

/** How long the writer waits between attempts to connect to Kafka. */
const CONNECT_BACKOFF = { initialMs: 1_000, maxMs: 30_000 };

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
 * the consumer. Resolves undefined if `cancelled` settles first.
 */
export async function startWriter(
  config: Config,
  logger: Logger,
  options: WriterOptions = {},
): Promise<RunningWriter | undefined> {
  const { kafka: k, elasticsearch: esConfig } = writerEnds(config);
  const output = new ElasticsearchOutput(esConfig, logger);
  const startAbort = new AbortController();
  void options.cancelled?.then(() => startAbort.abort(new Error('stopped before start')));
  try {
    await output.prepare(startAbort.signal);
  } catch (err) {
    await output.close();
    if (startAbort.signal.aborted) return undefined;
    throw err;
  }
  const client = kafkaClientOptions(k);
  const dlq = new DeadLetterTopic(client, k.dead_letter_topic, logger);
  const retryDelay = (attempt: number) => backoffDelay(attempt, output.backoff);
  const records = new RecordWriter(
    output.bulk,
    output.target,
    (entries, signal) => dlq.send(entries, signal, retryDelay),
    output.stats,
    options.stages,
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
  const connected = await untilConnected(
    async () => {
      await dlq.connect();
      await consumer.start();
    },
    k.brokers.join(','),
    logger,
    startAbort.signal,
    options.onKafkaRefusal,
  );
  if (!connected) {
    await Promise.allSettled([consumer.stop(0), dlq.close(), output.close()]);
    return undefined;
  }
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
      await dlq
        .close()
        .catch((err: unknown) => logger.warn({ err }, 'dead-letter producer did not close'));
      await output
        .close()
        .catch((err: unknown) => logger.warn({ err }, 'Elasticsearch client did not close'));
    },
  };
}

/**
 * Connects to Kafka, trying again with backoff for as long as it takes: unreachable brokers,
 * refused credentials, a failed TLS handshake or a missing topic are all waited out (each
 * refusal logged once with its code, as it starts and ends). False if `signal` aborts first.
 */
async function untilConnected(
  connect: () => Promise<void>,
  brokers: string,
  logger: Logger,
  signal: AbortSignal,
  onRefusal: ((refusal: KafkaRefusal | undefined) => void) | undefined,
): Promise<boolean> {
  const refusals = new RefusalTracker((now, was) => {
    if (now !== undefined) {
      logger.error(
        { code: now.code, reason: now.reason, brokers, err: now.message },
        `Kafka refuses the writer (${now.code}): ${now.message}. Retrying with backoff`,
      );
    } else if (was !== undefined) {
      logger.info({ reason: was.reason }, 'Kafka accepts the writer again');
    }
    onRefusal?.(now);
  });
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      await connect();
      refusals.succeeded();
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      const explained = explainRefusal(err, brokers);
      const delay = backoffDelay(attempt, CONNECT_BACKOFF);
      if (refusals.failed(explained)) onRefusal?.(refusals.refusal);
      else logger.warn({ err, brokers, retryInMs: delay }, 'cannot connect to Kafka yet; retrying');
      await abortableSleep(delay, signal);
    }
  }
  return false;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
