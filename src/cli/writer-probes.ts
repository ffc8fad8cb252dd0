// The writer's probe server: started once the writer has connected, ready
// while Kafka and Elasticsearch answer (checked every few seconds, not per
// probe), metrics read from the output's plain counters at scrape time.

import { Kafka, logLevel } from 'kafkajs';
import type { Config, WriterKafkaConfig } from '../config/types.js';
import { writerEnds } from '../config/writer-ends.js';
import type { Logger } from '../logger.js';
import { MetricsRegistry } from '../metrics/metrics.js';
import { ProbeServer } from '../server/probe-server.js';
import { kafkaClientOptions } from '../sinks/kafka/client-options.js';
import { KAFKA_REFUSAL_REASONS, type KafkaRefusal } from '../sinks/kafka/kafka-refusal.js';
import type { ElasticsearchStats } from '../sinks/elasticsearch/stats.js';
import { createClient } from '../sinks/elasticsearch/client.js';
import { indexPattern } from '../sinks/elasticsearch/index-name.js';
import { ElasticsearchDashboard, clientSearch } from '../dashboard/es-aggregates.js';
import { dashboardRoutes } from '../dashboard/routes.js';
import { dashboardPrivacy, serverAccess } from './server-access.js';

/** What the probes read once the writer runs; until then it is not started. */
export interface RunningWriterView {
  stats: ElasticsearchStats;
  pingElasticsearch: () => Promise<boolean>;
}

export interface WriterProbes {
  server: ProbeServer;
  /** Call once the writer connected: binds its numbers and marks startup done. */
  started(view: RunningWriterView): void;
  /**
   * Kafka refuses the writer (or, undefined, no longer does). A refusal marks startup done:
   * the writer did all it can and keeps retrying; a restart would not help.
   */
  kafkaRefused(refusal: KafkaRefusal | undefined): void;
  stop(): Promise<void>;
}

export function writerProbes(config: Config, logger: Logger): WriterProbes {
  const metrics = new MetricsRegistry();
  let view: RunningWriterView | undefined;
  let refusal: KafkaRefusal | undefined;
  metrics.bindKafkaRefusal(KAFKA_REFUSAL_REASONS, () => refusal?.reason);
  const ends = writerEnds(config);
  const kafka = kafkaProbe(ends.kafka);
  // The dashboard at / reads aggregations of the writer's target, on its own client.
  const es = ends.elasticsearch;
  const dashboardClient = createClient(es);
  const dashboard = new ElasticsearchDashboard({
    search: clientSearch(dashboardClient),
    index: indexPattern(es.index ?? es.data_stream!),
  });
  const server = new ProbeServer(
    {
      listen: config.server.listen,
      metrics,
      readinessIntervalMs: 5_000,
      readiness: async () => {
        if (refusal !== undefined) {
          return { ready: false, reason: `${refusal.code}: ${refusal.message}` };
        }
        if (view === undefined) return { ready: false, reason: 'connecting' };
        const [kafkaUp, elasticsearchUp] = await Promise.all([
          kafka.reachable(),
          view.pingElasticsearch().catch(() => false),
        ]);
        if (kafkaUp && elasticsearchUp) return { ready: true };
        const down = [kafkaUp ? '' : 'Kafka', elasticsearchUp ? '' : 'Elasticsearch'].filter(
          Boolean,
        );
        return { ready: false, reason: `${down.join(' and ')} unreachable` };
      },
      status: () => ({
        role: 'writer',
        output: view?.stats.snapshot(),
        kafka_refused:
          refusal === undefined
            ? null
            : {
                reason: refusal.reason,
                code: refusal.code,
                message: refusal.message,
                since: new Date(refusal.since).toISOString(),
              },
      }),
      onRequest: dashboardRoutes(() => dashboard.snapshot(), undefined, dashboardPrivacy(config)),
      access: serverAccess(config),
    },
    logger,
  );
  return {
    server,
    started(running) {
      view = running;
      const stats = running.stats;
      metrics.bindElasticsearchOutput(() => stats);
      metrics.bindConsumerLag(() =>
        [...stats.lag].map(([key, lag]) => {
          const cut = key.lastIndexOf('/');
          return { topic: key.slice(0, cut), partition: Number(key.slice(cut + 1)), lag };
        }),
      );
      server.markStarted();
    },
    kafkaRefused(now) {
      refusal = now;
      if (now !== undefined) server.markStarted();
    },
    async stop() {
      await server.stop();
      await kafka.close();
      await dashboardClient.close().catch(() => {});
    },
  };
}

/** A cheap reachability check: one metadata round trip on a kept admin connection. */
function kafkaProbe(consumer: WriterKafkaConfig): {
  reachable(): Promise<boolean>;
  close(): Promise<void>;
} {
  const admin = new Kafka({
    ...kafkaClientOptions(consumer),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  let connected = false;
  const reachable = async (): Promise<boolean> => {
    try {
      if (!connected) {
        await admin.connect();
        connected = true;
      }
      await admin.describeCluster();
      return true;
    } catch {
      connected = false;
      await admin.disconnect().catch(() => {});
      return false;
    }
  };
  return { reachable, close: () => admin.disconnect().catch(() => {}) };
}
