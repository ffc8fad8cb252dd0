// Turns a validated Config into running parts: one FileInput and parser per
// input, the stages every batch passes (enrichment, then alerts), one sink for
// the output with the dashboard's tap in front. Options are settled here,
// once; nothing downstream reads raw config.

import { hostname } from 'node:os';
import type { Config } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { MetricsRegistry } from '../metrics/metrics.js';
import type { Sink } from '../pipeline/batch.js';
import { PipelineCounters } from '../pipeline/counters.js';
import { Pipeline } from '../pipeline/pipeline.js';
import type { PipelineInput } from '../pipeline/source.js';
import type { EventStage } from '../pipeline/stage.js';
import { createParser } from '../parse/index.js';
import { FileInput } from '../sources/file/file-input.js';
import { fileInputOptions } from '../sources/file/options.js';
import type { FileChunk } from '../sources/file/types.js';
import { FileSink } from '../sinks/file.js';
import { StdoutSink } from '../sinks/stdout.js';
import { buildEnrichStage } from '../enrich/event-stage.js';
import { buildAlertStage } from '../alerts/alert-engine.js';
import { TapSink, type BatchObserver } from '../dashboard/tap-sink.js';
import { fileEvents } from './file-events.js';

export interface BuiltPipeline {
  pipeline: Pipeline<FileChunk>;
  inputs: FileInput[];
  /** Closed by the caller after the pipeline stopped (alerts last). */
  stages: EventStage[];
  /** Binds the output's own figures (Kafka produce, Elasticsearch bulk) to /metrics. */
  bindOutputMetrics(metrics: MetricsRegistry): void;
}

/** A sink and how its figures reach /metrics: read from its `stats` at scrape time. */
interface BuiltSink {
  sink: Sink;
  bindMetrics(metrics: MetricsRegistry): void;
}

const NO_FIGURES = (): void => {};

export async function buildPipeline(
  config: Config,
  logger: Logger,
  observe?: BatchObserver,
): Promise<BuiltPipeline> {
  const host = { name: config.host_name || hostname() };
  const counters = new PipelineCounters();
  // Built once, shared by every input.
  const stages = await buildStages(config, logger);
  const sources: FileInput[] = [];
  const inputs: PipelineInput<FileChunk>[] = config.inputs.map((input) => {
    const parser = createParser({
      format: input.format,
      logFormat: input.log_format,
      timezone: input.timezone,
    });
    const source = new FileInput(
      fileInputOptions(config, input),
      logger.child({ input: input.id }),
    );
    sources.push(source);
    const fields = input.fields && Object.keys(input.fields).length > 0 ? input.fields : undefined;
    const context = { parser, format: input.format, host, tags: input.tags ?? [], fields };
    return { id: input.id, source, toEvents: fileEvents(context, counters) };
  });
  // `observe` (the live dashboard) sees every batch once, on its way to the output.
  const { sink, bindMetrics } = await buildSink(config, logger);
  const output = observe ? new TapSink(sink, observe) : sink;
  const pipeline = new Pipeline({ inputs, stages, sink: output, logger, counters });
  return { pipeline, inputs: sources, stages, bindOutputMetrics: bindMetrics };
}

/**
 * The stages between the events and the output, in order: enrichment, then
 * alerts (so rules see enriched events). A disabled stage is not in the list.
 */
export async function buildStages(
  config: Config,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EventStage[]> {
  const enrich = await buildEnrichStage(config.enrich, logger, env);
  const alerts = buildAlertStage(config.alerts, logger.child({ component: 'alerts' }), {
    host: config.host_name,
    kubernetes: enrich.kubernetes,
  });
  logger.debug(
    {
      enrichers: enrich.stage?.enrichers.map((e) => e.constructor.name) ?? [],
      alerts: config.alerts.rules.map((r) => r.name),
      kubernetes: enrich.kubernetes !== undefined,
    },
    'event stages built',
  );
  const stages: EventStage[] = [];
  if (enrich.stage !== undefined) stages.push(enrich.stage);
  if (alerts !== undefined) stages.push(alerts);
  return stages;
}

/** The output; Kafka's and Elasticsearch's clients are loaded only when configured. */
async function buildSink(config: Config, logger: Logger): Promise<BuiltSink> {
  const output = config.output;
  switch (output.kind) {
    case 'stdout':
      return { sink: new StdoutSink(), bindMetrics: NO_FIGURES };
    case 'file':
      return {
        sink: new FileSink({ path: output.path, fsync: output.fsync }),
        bindMetrics: NO_FIGURES,
      };
    case 'kafka': {
      const { KafkaSink, KAFKA_REFUSAL_REASONS } = await import('../sinks/kafka/index.js');
      const sink = new KafkaSink(output, logger.child({ output: 'kafka' }));
      return {
        sink,
        bindMetrics: (metrics) => {
          metrics.bindKafkaOutput(() => sink.stats);
          metrics.bindKafkaRefusal(KAFKA_REFUSAL_REASONS, () => sink.refusal()?.reason);
        },
      };
    }
    case 'elasticsearch': {
      const { ElasticsearchSink } = await import('../sinks/elasticsearch/sink.js');
      const sink = new ElasticsearchSink(
        output,
        config.data_dir,
        logger.child({ output: 'elasticsearch' }),
      );
      return { sink, bindMetrics: (metrics) => metrics.bindElasticsearchOutput(() => sink.stats) };
    }
  }
}
