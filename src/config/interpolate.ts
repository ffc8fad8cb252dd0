// Environment interpolation in YAML values (never keys, never comments): `${VAR}`,
// `${VAR:-default}` (default when VAR is unset or empty) and `$$` for a literal `$`.
// Any other `$` is kept as is, so nginx log_format strings like '$remote_addr' pass through.

import type { KeyPath } from './key-path.js';
import { formatKeyPath } from './key-path.js';
import { REDACTED } from './redact.js';

export interface InterpolationResult {
  value: unknown;
  /** One line per problem, key path first; empty when every reference resolved. */
  problems: string[];
}

function isNameChar(c: number, first: boolean): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    (!first && c >= 0x30 && c <= 0x39)
  );
}

/**
 * Replaces references in one string. Returns the new text, or a message (without the key
 * path) describing the first bad reference.
 */
export function interpolateString(
  text: string,
  env: NodeJS.ProcessEnv,
): { ok: true; value: string } | { ok: false; error: string } {
  let dollar = text.indexOf('$');
  if (dollar === -1) return { ok: true, value: text };
  let out = '';
  let from = 0;
  while (dollar !== -1) {
    const next = text.charCodeAt(dollar + 1);
    if (next === 0x24 /* $ */) {
      out += text.slice(from, dollar + 1);
      from = dollar + 2;
    } else if (next === 0x7b /* { */) {
      const close = text.indexOf('}', dollar + 2);
      if (close === -1)
        return { ok: false, error: `unterminated "\${" (write "$$" for a literal "$")` };
      const body = text.slice(dollar + 2, close);
      const sep = body.indexOf(':-');
      const name = sep === -1 ? body : body.slice(0, sep);
      let valid = name.length > 0;
      for (let i = 0; valid && i < name.length; i++)
        valid = isNameChar(name.charCodeAt(i), i === 0);
      if (!valid) {
        // The default may be a secret written inline: never repeated.
        const shown = sep === -1 ? body : `${name}:-${REDACTED}`;
        return {
          ok: false,
          error: `invalid reference "\${${shown}}": expected \${NAME} or \${NAME:-default} (write "$$" for a literal "$")`,
        };
      }
      const value = env[name];
      let replacement: string;
      if (sep !== -1) {
        replacement = value === undefined || value === '' ? body.slice(sep + 2) : value;
      } else if (value === undefined) {
        return {
          ok: false,
          error: `environment variable ${name} is not set (use \${${name}:-default} to give a default)`,
        };
      } else {
        replacement = value;
      }
      out += text.slice(from, dollar) + replacement;
      from = close + 1;
    } else {
      out += text.slice(from, dollar + 1);
      from = dollar + 1;
    }
    dollar = text.indexOf('$', from);
  }
  return { ok: true, value: out + text.slice(from) };
}

/** Interpolates every string value of a parsed YAML tree; returns a new tree. */
export function interpolateEnv(tree: unknown, env: NodeJS.ProcessEnv): InterpolationResult {
  const problems: string[] = [];
  const value = walk(tree, [], env, problems);
  return { value, problems };
}

function walk(
  node: unknown,
  path: (string | number)[],
  env: NodeJS.ProcessEnv,
  problems: string[],
): unknown {
  if (typeof node === 'string') {
    const result = interpolateString(node, env);
    if (result.ok) return result.value;
    problems.push(`${formatKeyPath(path as KeyPath)}: ${result.error}`);
    return node;
  }
  if (Array.isArray(node)) {
    return node.map((item, i) => walk(item, [...path, i], env, problems));
  }
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) {
      // defineProperty: a "__proto__" key stays a key instead of replacing the prototype.
      Object.defineProperty(out, key, {
        value: walk(item, [...path, key], env, problems),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return node;
}
