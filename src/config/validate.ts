// Schema validation: ajv compiles the schema once at module load (allErrors, closed
// mappings, numeric and boolean strings coerced so `${N:-256}` is a number), and every
// ajv error becomes one readable line, key path first: `inputs[0].pathz: unknown key ...`.

import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import { splitBrokers, tryParseHostPort } from './address.js';
import { didYouMean } from './did-you-mean.js';
import type { KeyPath } from './key-path.js';
import { formatKeyPath } from './key-path.js';
import { isSecretKey, redactInvalidUrl } from './redact.js';
import { configSchema } from './schema.js';
import { parseCidr } from '../net/cidr.js';
import {
  DURATION_HINT,
  SIZE_HINT,
  formatDuration,
  formatSize,
  tryParseDuration,
  tryParseSize,
} from './units.js';

interface Bounds {
  min: number;
  max: number;
}

function unitKeyword(
  keyword: string,
  parse: (value: unknown) => number | undefined,
  hint: string,
  format: (n: number) => string,
) {
  return {
    keyword,
    schemaType: 'object' as const,
    errors: true,
    compile(bounds: Bounds): DataValidateFunction {
      const check: DataValidateFunction = (data: unknown) => {
        const n = parse(data);
        let message: string | undefined;
        if (n === undefined) message = `must be ${hint}`;
        else if (n < bounds.min) message = `must be at least ${format(bounds.min)}`;
        else if (n > bounds.max) message = `must be at most ${format(bounds.max)}`;
        check.errors = message === undefined ? [] : [{ keyword, message, params: bounds }];
        return message === undefined;
      };
      return check;
    },
  };
}

/** Kafka topic characters, with {{format}} and {{input}} placeholders allowed. */
function isTopicTemplate(topic: string): boolean {
  const literal = topic.replaceAll('{{format}}', 'f').replaceAll('{{input}}', 'i');
  if (literal.length === 0 || literal.length > 249) return false;
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x2d;
    if (!ok) return false;
  }
  return true;
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, verbose: true, strict: true });
ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
ajv.addKeyword({ keyword: 'x-role-default', schemaType: 'object' });
ajv.addKeyword(unitKeyword('duration', tryParseDuration, DURATION_HINT, formatDuration));
ajv.addKeyword(unitKeyword('size', tryParseSize, SIZE_HINT, formatSize));
ajv.addFormat('host-port', {
  type: 'string',
  validate: (s) => tryParseHostPort(s, 0) !== undefined,
});
ajv.addFormat('broker-list', {
  type: 'string',
  validate: (s) => splitBrokers(s).every((b) => tryParseHostPort(b, 1) !== undefined),
});
ajv.addFormat('kafka-topic', { type: 'string', validate: isTopicTemplate });
ajv.addFormat('http-url', { type: 'string', validate: isHttpUrl });
ajv.addFormat('cidr', {
  type: 'string',
  validate: (s) => s.trim() === 'unix:' || parseCidr(s) !== undefined,
});

function isHttpUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const validateSchema = ajv.compile(configSchema);

/**
 * Validates `data` in place (ajv coerces '256' to 256 and 'true' to true where the schema
 * wants a number or boolean) and returns one message per problem, or none.
 */
export function schemaProblems(data: unknown): string[] {
  if (validateSchema(data)) return [];
  const errors = (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if');
  const lines = errors.map((e) => describeError(e, data));
  return [...new Set(lines)];
}

/** Turns a JSON pointer into key path segments, using the data to tell arrays from maps. */
function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node =
      node !== null && typeof node === 'object'
        ? (node as Record<string, unknown>)[key]
        : undefined;
  }
  return path;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  null: 'empty',
};

function kindOf(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

/** A short rendering of the offending value, or nothing when it sits under a secret key. */
function got(value: unknown, path: KeyPath): string {
  const last = path[path.length - 1];
  // URLs (a webhook's path is often its secret) and header values are not repeated either.
  const secret = typeof last === 'string' && (isSecretKey(last) || last === 'url');
  if (secret || path[path.length - 2] === 'headers') return '';
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return ` (got ${kindOf(value)})`;
  }
  // Credentials in a URL that failed validation (a list item, so not under a 'url' key).
  const text = JSON.stringify(typeof value === 'string' ? redactInvalidUrl(value) : value);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}..."` : text})`;
}

function describeError(e: ErrorObject, data: unknown): string {
  const path = pointerToPath(e.instancePath, data);
  const where = formatKeyPath(path);
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const expected = typeof parent['x-message'] === 'string' ? parent['x-message'] : undefined;
  switch (e.keyword) {
    case 'required':
      return `${formatKeyPath([...path, e.params.missingProperty as string])}: is required`;
    case 'additionalProperties': {
      const key = e.params.additionalProperty as string;
      const known = Object.keys((parent.properties ?? {}) as object);
      const suggestion = didYouMean(key, known);
      const hint =
        suggestion !== undefined
          ? `did you mean ${JSON.stringify(suggestion)}?`
          : known.length > 0
            ? `allowed: ${known.join(', ')}`
            : 'this mapping takes no keys';
      return `${formatKeyPath([...path, key])}: unknown key ${JSON.stringify(key)} (${hint})`;
    }
    case 'minProperties':
    case 'maxProperties': {
      const known = Object.keys((parent.properties ?? {}) as object);
      const found = Object.keys((e.data ?? {}) as object);
      const list = found.length === 0 ? 'none' : found.join(' and ');
      return `${where}: must configure exactly one of ${known.join(', ')} (found ${list})`;
    }
    case 'type': {
      const want = expected ?? TYPE_WORDS[e.params.type as string] ?? String(e.params.type);
      return `${where}: must be ${want}${got(e.data, path)}`;
    }
    case 'enum':
      return `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}${got(e.data, path)}`;
    case 'minItems':
    case 'minLength':
      return e.params.limit === 1
        ? `${where}: must not be empty`
        : `${where}: must have at least ${e.params.limit as number} ${e.keyword === 'minItems' ? 'items' : 'characters'}`;
    case 'uniqueItems': {
      const [a, b] = [e.params.i as number, e.params.j as number].sort((x, y) => x - y);
      return `${where}: must not repeat an item (items ${a} and ${b} are the same)`;
    }
    case 'minimum':
      return `${where}: must be at least ${e.params.limit as number}${got(e.data, path)}`;
    case 'maximum':
      return `${where}: must be at most ${e.params.limit as number}${got(e.data, path)}`;
    case 'duration':
    case 'size':
      return `${where}: ${e.message ?? 'is invalid'}${got(e.data, path)}`;
    default:
      return `${where}: ${expected !== undefined ? `must be ${expected}` : (e.message ?? 'is invalid')}${got(e.data, path)}`;
  }
}
