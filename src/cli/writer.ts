// `logpod writer`: its flags and help. The flags patch the raw config, which
// is validated once; writer-service.ts runs it (consumer group, stages,
// _bulk create with _id = event.id, offsets committed over settled documents).

import { buildConfig } from '../config/load.js';
import { ExitCodes } from '../errors.js';
import { isPlainObject } from '../support/plain-object.js';
import { parseFlags, usageError } from './args.js';
import { applyListenFlag, readRawConfig, type RawConfig } from './flag-overrides.js';
import { runWriterService } from './writer-service.js';
import { WRITER_HELP } from './usage.js';

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
  return runWriterService(buildConfig(raw, source, 'writer'));
}
