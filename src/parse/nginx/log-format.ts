// Compiles an nginx log_format string once into literal/variable segments.
// Invariant: every variable ends at a non-empty literal, at its fixed width, or
// (adjacent to the next variable) at the first character its value class
// cannot contain where the next value must start with such a character; so a
// line is read left to right once, with indexOf or a class scan, no backtracking.

import { ErrorCodes, LogpodError } from '../../errors.js';
import type { ExtraVariable } from './access-event.js';
import {
  KNOWN_VARIABLES,
  KNOWN_VARIABLE_COUNT,
  SCAN_CLASS,
  SCAN_FIXED,
  SCAN_LIST,
  SCAN_TEXT,
  isListVariable,
} from './variables.js';
import { NON_ASCII, overlap, valueClass } from './value-classes.js';
import type { CharSet } from './value-classes.js';

/** One variable and the literal text that must follow it. */
export interface Segment {
  name: string;
  slot: number;
  scan: number;
  /** Characters the value always has (SCAN_FIXED), else 0. */
  width: number;
  /** The characters the value may contain (SCAN_CLASS), else undefined. */
  chars: CharSet | undefined;
  /** Literal after the variable; '' for the last segment and before an adjacent variable. */
  literal: string;
}

export interface CompiledFormat {
  /** Literal text before the first variable. */
  prefix: string;
  segments: Segment[];
  /** Literal text after the last variable. */
  suffix: string;
  /** Variables without an ECS name, kept under `nginx.access.<name>`. */
  extras: ExtraVariable[];
  /** Size of the slot array the parser must provide. */
  slotCount: number;
}

/** The predefined `combined` format of nginx. */
export const COMBINED_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ' +
  '"$http_referer" "$http_user_agent"';

/** `main` from the nginx.conf of the official Docker image. */
export const MAIN_FORMAT = COMBINED_FORMAT + ' "$http_x_forwarded_for"';

function invalid(message: string): LogpodError {
  return new LogpodError(ErrorCodes.LOG_FORMAT_INVALID, message);
}

function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f
  );
}

const CONF_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r' };

/**
 * A format written the nginx.conf way, `'$remote_addr - ' '"$request"'`
 * (starting with a single quote), becomes the concatenation of its pieces.
 * Anything else is returned unchanged.
 */
export function joinQuotedPieces(format: string): string {
  let t = format.trim();
  if (t.endsWith(';')) t = t.slice(0, -1).trimEnd();
  if (t.charCodeAt(0) !== 0x27) return format;
  let out = '';
  let i = 0;
  while (i < t.length) {
    const q = t[i];
    if (q !== "'" && q !== '"') return format;
    let j = i + 1;
    while (j < t.length && t[j] !== q) {
      if (t[j] === '\\' && j + 1 < t.length) {
        const c = t[j + 1];
        out += c === q || c === '\\' ? c : (CONF_ESCAPES[c] ?? '\\' + c);
        j += 2;
      } else {
        out += t[j];
        j++;
      }
    }
    if (j >= t.length) return format;
    i = j + 1;
    while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  }
  return out;
}

function shown(c: number): string {
  if (c === NON_ASCII) return 'a non-ASCII character';
  if (c === 0x20) return 'a space';
  return c > 0x20 && c < 0x7f
    ? `"${String.fromCharCode(c)}"`
    : `\\x${c.toString(16).padStart(2, '0')}`;
}

function ambiguous(a: string, b: string, c: number): LogpodError {
  const what = valueClass(a).what;
  const whatB = valueClass(b).what;
  return invalid(
    `log_format is ambiguous: $${a} and $${b} are adjacent with no literal text between them, ` +
      `and a value of $${a} (${what}) may contain ${shown(c)}, which a value of $${b} ` +
      `(${whatB}) may start with, so no reader can tell where $${a} ends. Put a literal ` +
      `between them that nginx writes as is, for example a space: "$${a} $${b}"`,
  );
}

/** Compiles `format`; throws LOG_FORMAT_INVALID naming the problem. */
export function compileLogFormat(format: string): CompiledFormat {
  if (typeof format !== 'string' || format.trim() === '') {
    throw invalid('log_format is empty');
  }
  const f = joinQuotedPieces(format);
  const literals: string[] = [];
  const names: string[] = [];
  let literal = '';
  let i = 0;
  while (i < f.length) {
    const dollar = f.indexOf('$', i);
    if (dollar === -1) {
      literal += f.slice(i);
      break;
    }
    literal += f.slice(i, dollar);
    let start = dollar + 1;
    let end: number;
    let next: number;
    if (f.charCodeAt(start) === 0x7b) {
      start++;
      end = f.indexOf('}', start);
      if (end === -1) throw invalid(`log_format: "\${" at position ${dollar} has no closing "}"`);
      next = end + 1;
    } else {
      end = start;
      while (end < f.length && isNameChar(f.charCodeAt(end))) end++;
      next = end;
    }
    const name = f.slice(start, end);
    for (let k = 0; k < name.length; k++) {
      if (!isNameChar(name.charCodeAt(k))) {
        throw invalid(`log_format: invalid variable name "\${${name}}" at position ${dollar}`);
      }
    }
    if (name === '') {
      throw invalid(`log_format: "$" at position ${dollar} is not followed by a variable name`);
    }
    literals.push(literal);
    names.push(name);
    literal = '';
    i = next;
  }
  if (names.length === 0) throw invalid('log_format has no variables');

  const extras: ExtraVariable[] = [];
  const segments: Segment[] = [];
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    let slot = KNOWN_VARIABLES.get(name);
    if (slot === undefined) {
      const seen = extras.find((e) => e.name === name);
      slot = seen?.slot ?? KNOWN_VARIABLE_COUNT + extras.length;
      if (seen === undefined) extras.push({ name, slot });
    }
    const value = valueClass(name);
    const width = value.width;
    const after = k + 1 < names.length ? literals[k + 1] : '';
    let scan = width > 0 ? SCAN_FIXED : isListVariable(name) ? SCAN_LIST : SCAN_TEXT;
    let chars: CharSet | undefined;
    if (k + 1 < names.length && after === '' && width === 0) {
      const next = names[k + 1];
      const c = overlap(value, valueClass(next));
      if (c !== -1) throw ambiguous(name, next, c);
      scan = SCAN_CLASS;
      chars = value.chars;
    }
    segments.push({ name, slot, scan, width, chars, literal: after });
  }
  return {
    prefix: literals[0],
    segments,
    suffix: literal,
    extras,
    slotCount: KNOWN_VARIABLE_COUNT + extras.length,
  };
}
