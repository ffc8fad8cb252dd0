// From a validated raw tree to the typed Config. The schema's defaults fill every missing
// key, durations become milliseconds and sizes bytes (one walk over the schema, so no key
// is copied by hand); then the values the schema cannot settle on its own: implied ones
// (log_format alone means format custom, an empty host_name means os.hostname()), ids and
// names derived from other keys, and the output as a union tagged by its kind.
// Only call it on a tree that passed the schema and the cross-key rules.

import os from 'node:os';
import { splitBrokers } from './address.js';
import type { FromSchema, SchemaNode } from './json-schema.js';
import { configSchema } from './schema.js';
import type {
  AlertRuleConfig,
  Config,
  FileInputConfig,
  OutputConfig,
  OutputSettings,
} from './types.js';
import { parseDuration, parseSize, tryParseRatio } from './units.js';

/** The id of an input that does not name itself. */
export function defaultInputId(index: number): string {
  return `input-${index}`;
}

/** The dead-letter topic of a writer that names none. */
export function defaultDeadLetterTopic(topic: string): string {
  return `${topic}-dlq`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A copy of `value` with the defaults of `schema` filled in, durations and sizes as numbers
 * and keys in schema order. Free-form mappings (`fields`) are deep-copied as they are.
 */
export function applySchema(schema: SchemaNode, value: unknown): unknown {
  if (schema.duration !== undefined) return parseDuration(value as string | number);
  if (schema.size !== undefined) return parseSize(value as string | number);
  if (schema.properties !== undefined && isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      const given = Object.hasOwn(value, key) ? value[key] : undefined;
      const item = given ?? child.default;
      if (item !== undefined) out[key] = applySchema(child, item);
    }
    return out;
  }
  if (schema.items !== undefined && Array.isArray(value)) {
    const items = schema.items;
    return value.map((item) => applySchema(items, item));
  }
  return structuredClone(value);
}

type Settled = FromSchema<typeof configSchema>;
type SettledInput = Settled['inputs'][number];
type SettledRule = Settled['alerts']['rules'][number];

function settleInput(input: SettledInput, index: number): FileInputConfig {
  const { type, id = defaultInputId(index), ...rest } = input;
  // The cross-key rules allow log_format only with format custom or no format at all.
  const format = rest.log_format !== undefined ? 'custom' : rest.format;
  return { type, id, ...rest, format };
}

function settleOutput(output: Settled['output']): OutputConfig {
  if (output.kafka !== undefined) {
    return { kind: 'kafka', ...output.kafka, brokers: output.kafka.brokers.flatMap(splitBrokers) };
  }
  if (output.elasticsearch !== undefined) {
    const es: OutputSettings['elasticsearch'] = { ...output.elasticsearch };
    if (es.index !== undefined) delete es.data_stream;
    return { kind: 'elasticsearch', ...es };
  }
  if (output.file !== undefined) return { kind: 'file', ...output.file };
  return { kind: 'stdout' };
}

function settleRule(rule: SettledRule): AlertRuleConfig {
  const { name, window } = rule;
  switch (rule.type) {
    case 'no_events':
      return { name, type: 'no_events', window };
    case 'error_ratio': {
      const threshold = tryParseRatio(rule.threshold) as number;
      return { name, type: 'error_ratio', threshold, window, min_events: rule.min_events };
    }
    case 'latency': {
      const threshold = parseDuration(rule.threshold as string | number);
      const { percentile, min_events } = rule;
      return { name, type: 'latency', threshold, percentile, window, min_events };
    }
  }
}

/** The typed Config of a tree that passed schemaProblems and crossKeyProblems. */
export function normalizeConfig(raw: unknown): Config {
  const { writer, ...settled } = applySchema(configSchema, raw) as Settled;
  const config: Config = {
    ...settled,
    inputs: settled.inputs.map(settleInput),
    output: settleOutput(settled.output),
    host_name: settled.host_name === '' ? os.hostname() : settled.host_name,
    alerts: { ...settled.alerts, rules: settled.alerts.rules.map(settleRule) },
  };
  if (writer !== undefined) {
    // Spelled out so the derived topic sits where `logpod check` shows a given one.
    const { sasl, tls, ...consumer } = writer.kafka;
    config.writer = {
      kafka: {
        ...consumer,
        brokers: consumer.brokers.flatMap(splitBrokers),
        dead_letter_topic: consumer.dead_letter_topic ?? defaultDeadLetterTopic(consumer.topic),
        ...(sasl === undefined ? {} : { sasl }),
        tls,
      },
    };
  }
  return config;
}

/** The Config as the file writes it (the output under its kind's key), for `logpod check`. */
export function configFileTree(config: Config): Omit<Config, 'output'> & { output: object } {
  const { kind, ...settings } = config.output;
  return { ...config, output: { [kind]: settings } };
}
