// Rules that span several keys, which the schema cannot word well: a custom format needs
// its log_format, input ids are unique, an idempotent producer needs acks: all, and so on.
// Runs on the raw (coerced) tree even when the schema found problems, so that all problems
// are reported at once; values of the wrong type are skipped here (the schema reports them).

import { DEFAULTS, KAFKA_OUTPUT_DEFAULTS, defaultInputId } from './defaults.js';
import { formatKeyPath } from './key-path.js';
import { formatSize, tryParseSize } from './units.js';

type Tree = Record<string, unknown>;

function mapping(value: unknown): Tree | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Tree)
    : undefined;
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

function kafkaProblems(kafka: Tree): string[] {
  const problems: string[] = [];
  const acks = kafka.acks ?? KAFKA_OUTPUT_DEFAULTS.acks;
  const idempotent = kafka.idempotent ?? KAFKA_OUTPUT_DEFAULTS.idempotent;
  if (idempotent === true && typeof acks === 'string' && acks !== 'all') {
    problems.push(
      `output.kafka.idempotent: requires acks: all (acks is ${JSON.stringify(acks)}); ` +
        'set idempotent: false to use another acks setting',
    );
  }
  const tls = mapping(kafka.tls);
  if (tls !== undefined && (tls.cert_file === undefined) !== (tls.key_file === undefined)) {
    const missing = tls.cert_file === undefined ? 'cert_file' : 'key_file';
    const given = missing === 'cert_file' ? 'key_file' : 'cert_file';
    problems.push(`output.kafka.tls.${missing}: is required when tls.${given} is given`);
  }
  return problems;
}

function pipelineProblems(pipeline: Tree): string[] {
  const problems: string[] = [];
  const d = DEFAULTS.pipeline;
  const batchEvents = pipeline.batch_max_events ?? d.batch_max_events;
  const inFlightEvents = pipeline.max_in_flight_events ?? d.max_in_flight_events;
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
  const batchBytes = tryParseSize(pipeline.batch_max_bytes ?? d.batch_max_bytes);
  const inFlightBytes = tryParseSize(pipeline.max_in_flight_bytes ?? d.max_in_flight_bytes);
  if (batchBytes !== undefined && inFlightBytes !== undefined && inFlightBytes < batchBytes) {
    problems.push(
      `pipeline.max_in_flight_bytes: must be at least batch_max_bytes (${formatSize(batchBytes)}), ` +
        `or a batch could never fill (got ${formatSize(inFlightBytes)})`,
    );
  }
  return problems;
}

/** One message per broken cross-key rule, key path first. */
export function crossKeyProblems(raw: unknown): string[] {
  const root = mapping(raw);
  if (root === undefined) return [];
  const problems: string[] = [];
  if (Array.isArray(root.inputs)) problems.push(...inputProblems(root.inputs));
  const kafka = mapping(mapping(root.output)?.kafka);
  if (kafka !== undefined) problems.push(...kafkaProblems(kafka));
  problems.push(...pipelineProblems(mapping(root.pipeline) ?? {}));
  return problems;
}
