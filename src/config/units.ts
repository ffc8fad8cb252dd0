// Durations and byte sizes as users write them ('250ms', '5s', '1MiB') turned into
// milliseconds and bytes. Strict grammar, no regexes: a number, then an optional unit.
// The try* forms return undefined on bad input; the plain forms throw CONFIG_INVALID.

import { ErrorCodes, LogpodError } from '../errors.js';

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

export const DURATION_HINT = 'a duration like 250ms, 5s, 2m, 1h, 1d, or a number of milliseconds';
export const SIZE_HINT = 'a size like 512KiB, 1MiB, 1GiB, 1KB (=1000), or a number of bytes';

/** Splits "12.5KiB" into 12.5 and "KiB"; undefined unless it is digits[.digits] then letters. */
function splitQuantity(text: string): { amount: number; unit: string } | undefined {
  const s = text.trim();
  let i = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === 0) return undefined;
  if (s.charCodeAt(i) === 0x2e /* . */) {
    const fractionStart = ++i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === fractionStart) return undefined;
  }
  const amount = Number(s.slice(0, i));
  return Number.isFinite(amount) ? { amount, unit: s.slice(i) } : undefined;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function toWhole(value: number): number | undefined {
  const whole = Math.round(value);
  return Number.isSafeInteger(whole) && whole >= 0 ? whole : undefined;
}

/** Milliseconds, or undefined when `value` is not a valid duration. */
export function tryParseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? toWhole(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const q = splitQuantity(value);
  if (q === undefined) return undefined;
  if (q.unit === '') return Number.isInteger(q.amount) ? toWhole(q.amount) : undefined;
  const factor = DURATION_UNITS[q.unit];
  return factor === undefined ? undefined : toWhole(q.amount * factor);
}

/** Bytes, or undefined when `value` is not a valid size. */
export function tryParseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? toWhole(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const q = splitQuantity(value);
  if (q === undefined) return undefined;
  if (q.unit === '') return Number.isInteger(q.amount) ? toWhole(q.amount) : undefined;
  const factor = SIZE_UNITS[q.unit];
  return factor === undefined ? undefined : toWhole(Math.floor(q.amount * factor));
}

export const RATIO_HINT = 'a ratio above 0 and at most 1 (0.05), or a percentage (5%)';

/** A share in (0, 1] from 0.05, '0.05' or '5%'; undefined otherwise. */
export function tryParseRatio(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const s = value.trim();
    const percent = s.endsWith('%');
    const q = splitQuantity(percent ? s.slice(0, -1) : s);
    if (q === undefined || q.unit !== '') return undefined;
    n = percent ? q.amount / 100 : q.amount;
  } else return undefined;
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : undefined;
}

/** Milliseconds from '250ms', '5s', '2m', '1h', '1d' or a whole number of milliseconds. */
export function parseDuration(value: string | number): number {
  const ms = tryParseDuration(value);
  if (ms === undefined) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `invalid duration ${JSON.stringify(value)}: expected ${DURATION_HINT}`,
    );
  }
  return ms;
}

/** Bytes from '512KiB', '1MiB', '1GiB', '1KB' (1000), '10B' or a whole number of bytes. */
export function parseSize(value: string | number): number {
  const bytes = tryParseSize(value);
  if (bytes === undefined) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `invalid size ${JSON.stringify(value)}: expected ${SIZE_HINT}`,
    );
  }
  return bytes;
}

/** The shortest exact spelling of a duration, for messages: 90000 -> '90s', 1500 -> '1500ms'. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    const factor = DURATION_UNITS[unit];
    if (ms !== 0 && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

/** The shortest exact spelling of a size, for messages: 1048576 -> '1MiB'. */
export function formatSize(bytes: number): string {
  for (const unit of ['GiB', 'MiB', 'KiB']) {
    const factor = SIZE_UNITS[unit];
    if (bytes !== 0 && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}B`;
}
