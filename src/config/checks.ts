// Rules that span several keys, which the schema cannot word well: a custom format needs
// its log_format, input ids are unique, an idempotent producer needs acks: all, and so on.
// Runs on the raw (coerced) tree even when the schema found problems, so that all problems
// are reported at once; values of the wrong type are skipped here (the schema reports them).

import { isPlainObject } from '../support/plain-object.js';
import { formatKeyPath } from './key-path.js';
import { defaultInputId } from './normalize.js';
import { elasticsearchOutput, kafkaOutput } from './output-schema.js';
import { configSchema } from './schema.js';
import {
  DURATION_HINT,
  RATIO_HINT,
  formatDuration,
  formatSize,
  tryParseDuration,
  tryParseRatio,
  tryParseSize,
} from './units.js';

type Tree = Record<string, unknown>;

function truthy(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function mapping(value: unknown): Tree | undefined {
  return isPlainObject(value) ? value : undefined;
}

function inputProblems(inputs: unknown[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((item, i) => {
    const input = mapping(item);
    if (input === undefined) return;
    const format = input.format;
    const hasLogFormat = input.log_format !== undefined;
    if (format === 'custom' && !hasLogFormat) {
      problems.push(
        `${formatKeyPath(['inputs', i, 'log_format'])}: is required when format is custom`,
      );
    } else if (hasLogFormat && typeof format === 'string' && format !== 'custom') {
      problems.push(
        `${formatKeyPath(['inputs', i, 'log_format'])}: only applies when format is custom ` +
          `(format is ${JSON.stringify(format)}; remove format or set it to custom)`,
      );
    }
    const id = typeof input.id === 'string' ? input.id : defaultInputId(i);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else {
      problems.push(
        `${formatKeyPath(['inputs', i, 'id'])}: ${JSON.stringify(id)} is already the id of ` +
          `${formatKeyPath(['inputs', first])}; ids must be unique`,
      );
    }
  });
  return problems;
}

function tlsPairProblems(tls: Tree | undefined, at: string): string[] {
  if (tls === undefined || (tls.cert_file === undefined) === (tls.key_file === undefined))
    return [];
  const missing = tls.cert_file === undefined ? 'cert_file' : 'key_file';
  const given = missing === 'cert_file' ? 'key_file' : 'cert_file';
  return [`${at}.tls.${missing}: is required when tls.${given} is given`];
}

function elasticsearchProblems(es: Tree): string[] {
  const problems: string[] = [];
  if (es.data_stream !== undefined && es.index !== undefined) {
    problems.push(
      'output.elasticsearch.index: give either data_stream or index, not both ' +
        '(index writes dated indices, data_stream a data stream)',
    );
  }
  if (es.api_key !== undefined && (es.username !== undefined || es.password !== undefined)) {
    problems.push(
      'output.elasticsearch.api_key: give either api_key or username/password, not both',
    );
  }
  if ((es.username === undefined) !== (es.password === undefined)) {
    const missing = es.username === undefined ? 'username' : 'password';
    problems.push(
      `output.elasticsearch.${missing}: is required when the other of username/password is given`,
    );
  }
  const d = elasticsearchOutput.properties;
  const initial = tryParseDuration(es.retry_initial_backoff ?? d.retry_initial_backoff.default);
  const max = tryParseDuration(es.retry_max_backoff ?? d.retry_max_backoff.default);
  if (initial !== undefined && max !== undefined && max < initial) {
    problems.push(
      `output.elasticsearch.retry_max_backoff: must be at least retry_initial_backoff ` +
        `(${formatDuration(initial)}; got ${formatDuration(max)})`,
    );
  }
  return problems;
}

function kafkaProblems(kafka: Tree): string[] {
  const problems: string[] = [];
  const acks = kafka.acks ?? kafkaOutput.properties.acks.default;
  const idempotent = kafka.idempotent ?? kafkaOutput.properties.idempotent.default;
  if (idempotent === true && typeof acks === 'string' && acks !== 'all') {
    problems.push(
      `output.kafka.idempotent: requires acks: all (acks is ${JSON.stringify(acks)}); ` +
        'set idempotent: false to use another acks setting',
    );
  }
  problems.push(...tlsPairProblems(mapping(kafka.tls), 'output.kafka'));
  return problems;
}

function pipelineProblems(pipeline: Tree): string[] {
  const problems: string[] = [];
  const d = configSchema.properties.pipeline.properties;
  const batchEvents = pipeline.batch_max_events ?? d.batch_max_events.default;
  const inFlightEvents = pipeline.max_in_flight_events ?? d.max_in_flight_events.default;
  if (
    typeof batchEvents === 'number' &&
    typeof inFlightEvents === 'number' &&
    inFlightEvents < batchEvents
  ) {
    problems.push(
      `pipeline.max_in_flight_events: must be at least batch_max_events (${batchEvents}), ` +
        `or a batch could never fill (got ${inFlightEvents})`,
    );
  }
  const batchBytes = tryParseSize(pipeline.batch_max_bytes ?? d.batch_max_bytes.default);
  const inFlightBytes = tryParseSize(pipeline.max_in_flight_bytes ?? d.max_in_flight_bytes.default);
  if (batchBytes !== undefined && inFlightBytes !== undefined && inFlightBytes < batchBytes) {
    problems.push(
      `pipeline.max_in_flight_bytes: must be at least batch_max_bytes (${formatSize(batchBytes)}), ` +
        `or a batch could never fill (got ${formatSize(inFlightBytes)})`,
    );
  }
  return problems;
}

/** Which optional keys each alert rule type takes (the schema allows them all). */
const RULE_KEYS: Record<string, readonly string[]> = {
  error_ratio: ['threshold', 'min_events'],
  latency: ['threshold', 'percentile', 'min_events'],
  no_events: [],
};

function alertRuleProblems(rule: Tree, i: number, seen: Map<string, number>): string[] {
  const problems: string[] = [];
  const at = (key: string) => formatKeyPath(['alerts', 'rules', i, key]);
  if (typeof rule.name === 'string') {
    const first = seen.get(rule.name);
    if (first === undefined) seen.set(rule.name, i);
    else
      problems.push(
        `${at('name')}: ${JSON.stringify(rule.name)} is already the name of rule ${first}`,
      );
  }
  const type = rule.type;
  const keys = typeof type === 'string' ? RULE_KEYS[type] : undefined;
  if (keys === undefined) return problems;
  for (const key of ['threshold', 'percentile', 'min_events']) {
    if (rule[key] !== undefined && !keys.includes(key)) {
      problems.push(`${at(key)}: does not apply to type ${type}`);
    }
  }
  if (type === 'no_events') return problems;
  if (rule.threshold === undefined)
    problems.push(`${at('threshold')}: is required for type ${type}`);
  else if (type === 'error_ratio' && tryParseRatio(rule.threshold) === undefined) {
    problems.push(`${at('threshold')}: must be ${RATIO_HINT} for type error_ratio`);
  } else if (type === 'latency' && !((tryParseDuration(rule.threshold) ?? 0) > 0)) {
    problems.push(`${at('threshold')}: must be ${DURATION_HINT}, above 0, for type latency`);
  }
  return problems;
}

function alertsProblems(alerts: Tree): string[] {
  if (!Array.isArray(alerts.rules)) return [];
  const seen = new Map<string, number>();
  return alerts.rules.flatMap((item, i) => {
    const rule = mapping(item);
    return rule === undefined ? [] : alertRuleProblems(rule, i, seen);
  });
}

/** One message per broken cross-key rule, key path first. */
export function crossKeyProblems(raw: unknown): string[] {
  const root = mapping(raw);
  if (root === undefined) return [];
  const problems: string[] = [];
  if (Array.isArray(root.inputs)) problems.push(...inputProblems(root.inputs));
  const kafka = mapping(mapping(root.output)?.kafka);
  if (kafka !== undefined) problems.push(...kafkaProblems(kafka));
  const es = mapping(mapping(root.output)?.elasticsearch);
  if (es !== undefined) problems.push(...elasticsearchProblems(es));
  const writerKafka = mapping(mapping(root.writer)?.kafka);
  if (writerKafka !== undefined) {
    problems.push(...tlsPairProblems(mapping(writerKafka.tls), 'writer.kafka'));
  }
  problems.push(...pipelineProblems(mapping(root.pipeline) ?? {}));
  const auth = mapping(mapping(root.server)?.auth);
  if (auth !== undefined && truthy(auth.token_file) && truthy(auth.token_env)) {
    problems.push('server.auth.token_env: give either token_file or token_env, not both');
  }
  const alerts = mapping(root.alerts);
  if (alerts !== undefined) problems.push(...alertsProblems(alerts));
  return problems;
}
