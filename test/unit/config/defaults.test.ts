// config/logpod.yaml documents every option with its default: this keeps the file,
// defaults.ts and the schema in step.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import {
  ALERTS_DEFAULTS,
  DEFAULTS,
  ENRICH_DEFAULTS,
  INPUT_DEFAULTS,
  KAFKA_OUTPUT_DEFAULTS,
  KAFKA_TLS_DEFAULTS,
  defaultInputId,
} from '../../../src/config/defaults.js';
import { configSchema } from '../../../src/config/schema.js';

const reference = readFileSync(new URL('../../../config/logpod.yaml', import.meta.url), 'utf8');
const raw = parse(reference) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function schemaKeys(schema: Record<string, unknown>, prefix: string, out: string[]): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, child] of Object.entries(properties)) {
    out.push(`${prefix}${key}`);
    schemaKeys(child, `${prefix}${key}.`, out);
    const items = child.items as Record<string, unknown> | undefined;
    if (items !== undefined) schemaKeys(items, `${prefix}${key}[].`, out);
  }
  return out;
}

t.test('every option of the schema appears in config/logpod.yaml', async (t) => {
  for (const path of schemaKeys(configSchema, '', [])) {
    const key = path.slice(path.lastIndexOf('.') + 1);
    t.match(reference, new RegExp(`^\\s*#?\\s*${key}:`, 'm'), path);
  }
});

t.test('the values written in config/logpod.yaml are the defaults', async (t) => {
  const input = raw.inputs[0];
  for (const [key, value] of Object.entries(INPUT_DEFAULTS)) {
    if (key === 'exclude') continue; // the reference shows an example exclude list
    t.same(input[key], value, `inputs[0].${key}`);
  }
  for (const section of ['registry', 'pipeline', 'server', 'logging', 'shutdown'] as const) {
    t.same(raw[section], DEFAULTS[section], section);
  }
  t.equal(raw.data_dir, DEFAULTS.data_dir);
  t.equal(raw.host_name, DEFAULTS.host_name);
  const { brokers: _b, topic: _t, tls, ...kafka } = raw.output.kafka;
  t.same(kafka, KAFKA_OUTPUT_DEFAULTS);
  t.same(tls, KAFKA_TLS_DEFAULTS);
  t.same(raw.enrich, ENRICH_DEFAULTS, 'enrich');
  t.same(raw.alerts, ALERTS_DEFAULTS, 'alerts');
});

t.test('default input ids count from 0', async (t) => {
  t.equal(defaultInputId(0), 'input-0');
  t.equal(defaultInputId(3), 'input-3');
});
