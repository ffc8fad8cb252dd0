// Loading a config file: read, parse YAML, interpolate the environment, validate against
// the schema and the cross-key rules (all problems in one error), fill defaults, normalize
// units. Every failure is a LogpodError: CONFIG_NOT_FOUND, CONFIG_PARSE or CONFIG_INVALID.

import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { errCode, ErrorCodes, LogpodError } from '../errors.js';
import { LOG_LEVELS } from '../logger.js';
import { isPlainObject, setOwn } from '../support/plain-object.js';
import { crossKeyProblems } from './checks.js';
import { forbiddenKeyProblems } from './forbidden-keys.js';
import { interpolateEnv } from './interpolate.js';
import { normalizeConfig } from './normalize.js';
import { applyRoleDefaults, type Role } from './role.js';
import type { Config } from './types.js';
import { schemaProblems } from './validate.js';

function invalid(source: string, problems: string[]): LogpodError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new LogpodError(
    ErrorCodes.CONFIG_INVALID,
    `invalid configuration in ${source} (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}

/**
 * A copy where an empty value (`key:` with nothing after it) means "not set", so defaults
 * apply; under `output`, an empty kind (`stdout:`) means that kind with no options.
 * `fields` is free-form and copied as is.
 */
function withoutEmptyValues(node: unknown, role: 'root' | 'output' | 'other'): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutEmptyValues(item, 'other'));
  if (!isPlainObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (value === null || value === undefined) {
      if (role === 'output') setOwn(out, key, {});
    } else if (key === 'fields') {
      setOwn(out, key, structuredClone(value));
    } else {
      setOwn(
        out,
        key,
        withoutEmptyValues(value, role === 'root' && key === 'output' ? 'output' : 'other'),
      );
    }
  }
  return out;
}

/** YAML text to a plain tree with the environment interpolated; no validation yet. */
export function parseRawConfigText(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const firstLine = e.message.split('\n')[0];
      const at = firstLine.lastIndexOf(' at line ');
      const message = at === -1 ? firstLine : firstLine.slice(0, at);
      return pos === undefined
        ? `${source}: ${message}`
        : `${source}:${pos.line}:${pos.col}: ${message}`;
    });
    throw new LogpodError(
      ErrorCodes.CONFIG_PARSE,
      `cannot parse YAML:\n${lines.map((l) => `  ${l}`).join('\n')}`,
    );
  }
  const tree: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (!isPlainObject(tree)) {
    throw invalid(source, [
      '(root): must be a mapping of options (key: value), not a list or a single value',
    ]);
  }
  const { value, problems } = interpolateEnv(tree, env);
  const level = env.LOGPOD_LOG_LEVEL;
  if (level !== undefined && level !== '') {
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      problems.push(
        `LOGPOD_LOG_LEVEL (environment): must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(level)})`,
      );
    } else {
      const root = value as Record<string, unknown>;
      const logging = isPlainObject(root.logging) ? root.logging : {};
      root.logging = { ...logging, level };
    }
  }
  if (problems.length > 0) throw invalid(source, problems);
  return value as Record<string, unknown>;
}

/**
 * Validates an already-parsed tree (the CLI merges its flags in first) and fills defaults:
 * those of `role` (role.ts) where the tree sets nothing, then the schema's.
 */
export function buildConfig(raw: unknown, source: string, role?: Role): Config {
  const tree = withoutEmptyValues(raw ?? {}, 'root');
  if (!isPlainObject(tree)) {
    throw invalid(source, [
      '(root): must be a mapping of options (key: value), not a list or a single value',
    ]);
  }
  // Checked on the raw tree first: withoutEmptyValues copies `fields` as written.
  const forbidden = forbiddenKeyProblems(raw);
  if (forbidden.length > 0) throw invalid(source, forbidden);
  if (role !== undefined) applyRoleDefaults(tree, role);
  // Order matters: ajv coerces '256' to 256 in place, and the cross-key rules read the result.
  const problems = schemaProblems(tree);
  problems.push(...crossKeyProblems(tree));
  if (problems.length > 0) throw invalid(source, problems);
  return normalizeConfig(tree);
}

/** YAML text to a Config; `source` names the text in messages (a file name). */
export function loadConfigText(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
  role?: Role,
): Config {
  return buildConfig(parseRawConfigText(text, source, env), source, role);
}

/** Reads, interpolates, validates and fills defaults. */
export function loadConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  role?: Role,
): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = errCode(err);
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'not found'
        : `cannot be read (${code ?? String(err)})`;
    throw new LogpodError(ErrorCodes.CONFIG_NOT_FOUND, `config file ${path} ${why}`, {
      cause: err,
    });
  }
  return loadConfigText(text, path, env, role);
}
