// `logpod writer`: its flags and help. The flags patch the raw config, which
// is validated once; writer-service.ts runs it (consumer group, stages,
// _bulk create with _id = event.id, offsets committed over settled documents).

import { buildConfig } from '../config/load.js';
import { ExitCodes } from '../errors.js';
import { isPlainObject } from '../support/plain-object.js';
import { parseFlags, usageError } from './args.js';
import { applyListenFlag, readRawConfig, type RawConfig } from './flag-overrides.js';
import { runWriterService } from './writer-service.js';

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
  return runWriterService(buildConfig(raw, source));
}
