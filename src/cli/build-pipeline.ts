// Turns a validated Config into running parts: one FileInput and parser per
// input, one sink for the output. Options are settled here, once; nothing
// downstream reads raw config.

import { hostname } from 'node:os';
import type { Config } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { Sink } from '../pipeline/batch.js';
import { Pipeline, type PipelineInput } from '../pipeline/pipeline.js';
import { createParser } from '../parse/index.js';
import { FileInput } from '../sources/file/file-input.js';
import { fileInputOptions } from '../sources/file/options.js';
import { FileSink } from '../sinks/file.js';
import { StdoutSink } from '../sinks/stdout.js';
import { buildEventStage, type EnrichStage } from '../enrich/event-stage.js';
import { TapSink, type BatchObserver } from '../dashboard/tap-sink.js';

export async function buildPipeline(
  config: Config,
  logger: Logger,
  observe?: BatchObserver,
): Promise<{ pipeline: Pipeline; inputs: FileInput[]; stage: EnrichStage | undefined }> {
  const host = { name: config.host_name || hostname() };
  // Enrichment and alerts: built once, shared by every input.
  const stage = buildEventStage(config, logger);
  const sources: FileInput[] = [];
  const inputs: PipelineInput[] = config.inputs.map((input) => {
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
    return {
      id: input.id,
      source,
      context: { parser, format: input.format, host, tags: input.tags ?? [], fields, stage },
    };
  });
  // `observe` (the live dashboard) sees every batch once, on its way to the output.
  const sink = await buildSink(config, logger);
  const output = observe ? new TapSink(sink, observe) : sink;
  return { pipeline: new Pipeline(inputs, output, logger), inputs: sources, stage };
}

/** The output; Kafka's and Elasticsearch's clients are loaded only when configured. */
async function buildSink(config: Config, logger: Logger): Promise<Sink> {
  const output = config.output;
  switch (output.kind) {
    case 'stdout':
      return new StdoutSink();
    case 'file':
      return new FileSink({ path: output.path, fsync: output.fsync });
    case 'kafka': {
      // Encoded events are 2-3x their raw lines: room for a few pipeline batches.
      const maxBufferedBytes = Math.max(
        2 * output.batch_bytes,
        4 * config.pipeline.batch_max_bytes,
      );
      const { KafkaSink } = await import('../sinks/kafka/index.js');
      return new KafkaSink(output, logger.child({ output: 'kafka' }), { maxBufferedBytes });
    }
    case 'elasticsearch': {
      const { ElasticsearchSink } = await import('../sinks/elasticsearch/sink.js');
      return new ElasticsearchSink(
        output,
        config.data_dir,
        logger.child({ output: 'elasticsearch' }),
      );
    }
  }
}
