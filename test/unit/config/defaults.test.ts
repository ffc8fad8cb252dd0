// config/logpod.yaml documents every option with its default: this keeps the file and the
// schema (the one place defaults are written) in step.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import type { SchemaNode } from '../../../src/config/json-schema.js';
import { defaultDeadLetterTopic, defaultInputId } from '../../../src/config/normalize.js';
import { configSchema } from '../../../src/config/schema.js';

const reference = readFileSync(new URL('../../../config/logpod.yaml', import.meta.url), 'utf8');
const raw = parse(reference) as Record<string, unknown>;
const root = configSchema as SchemaNode;

function schemaKeys(schema: SchemaNode, prefix: string, out: string[]): string[] {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    out.push(`${prefix}${key}`);
    schemaKeys(child, `${prefix}${key}.`, out);
    if (child.items !== undefined) schemaKeys(child.items, `${prefix}${key}[].`, out);
  }
  return out;
}

/** [key path, default, value in the reference] of every default under a mapping the file has. */
function documentedDefaults(
  schema: SchemaNode,
  node: Record<string, unknown>,
  prefix: string,
  out: [string, unknown, unknown][],
): [string, unknown, unknown][] {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const value = node[key];
    if (child.properties !== undefined && value !== null && typeof value === 'object') {
      documentedDefaults(child, value as Record<string, unknown>, `${prefix}${key}.`, out);
    } else if (child.items?.properties !== undefined && Array.isArray(value) && value[0]) {
      documentedDefaults(
        child.items,
        value[0] as Record<string, unknown>,
        `${prefix}${key}[0].`,
        out,
      );
    } else if (child['x-role-default'] !== undefined) {
      // Per command (role.ts): the reference shows them commented out, or a file would fix them.
      out.push([`${prefix}${key}`, undefined, value]);
    } else if (child.default !== undefined && !(child.properties && value === undefined)) {
      out.push([`${prefix}${key}`, child.default, value]);
    }
  }
  return out;
}

t.test('every option of the schema appears in config/logpod.yaml', async (t) => {
  for (const path of schemaKeys(root, '', [])) {
    const key = path.slice(path.lastIndexOf('.') + 1);
    t.match(reference, new RegExp(`^\\s*#?\\s*${key}:`, 'm'), path);
  }
});

t.test('the values written in config/logpod.yaml are the defaults', async (t) => {
  const pairs = documentedDefaults(root, raw, '', []);
  t.ok(pairs.length > 50, `compared ${pairs.length} defaults`);
  for (const [path, fallback, written] of pairs) {
    if (path === 'inputs[0].exclude') continue; // the reference shows an example exclude list
    t.same(written, fallback, path);
  }
});

t.test('defaults that depend on another key', async (t) => {
  t.equal(defaultInputId(0), 'input-0');
  t.equal(defaultInputId(3), 'input-3');
  t.equal(defaultDeadLetterTopic('logs'), 'logs-dlq');
});
