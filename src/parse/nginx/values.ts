// Typed reads of raw nginx values: '-' and '' mean absent, integers and
// second-durations are parsed by hand (bounded by the value's length), and
// text is unescaped once. Sentinels instead of exceptions keep the path cheap.

import { unescapeNginx } from './unescape.js';

/** A raw value as a parser found it: text from a line, or a JSON scalar. */
export type SlotValue = string | number | undefined;

export const ABSENT = -1;
export const INVALID = -2;

export function isAbsent(v: SlotValue): boolean {
  return v === undefined || v === '-' || v === '';
}

/** Decoded text, or undefined when absent. */
export function text(v: SlotValue): string | undefined {
  if (typeof v === 'string') return v === '-' || v === '' ? undefined : unescapeNginx(v);
  return v === undefined ? undefined : String(v);
}

/** A non-negative integer; ABSENT or INVALID otherwise. */
export function uint(v: SlotValue): number {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : INVALID;
  if (v === undefined || v === '-' || v === '') return ABSENT;
  if (v.length > 15) return INVALID;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return INVALID;
    n = n * 10 + c;
  }
  return n;
}

/** Seconds with a fraction (`0.123`) as integer nanoseconds; ABSENT or INVALID otherwise. */
export function secondsToNs(v: SlotValue): number {
  if (typeof v === 'number') {
    return Number.isFinite(v) && v >= 0 && v < 9e6 ? Math.round(v * 1e9) : INVALID;
  }
  if (v === undefined || v === '-' || v === '') return ABSENT;
  const len = v.length;
  let i = 0;
  let whole = 0;
  while (i < len && i < 7) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    i++;
  }
  if (i === 0) return INVALID;
  let ns = whole * 1e9;
  if (i === len) return ns;
  if (v.charCodeAt(i) !== 0x2e || i === len - 1 || len - i - 1 > 9) return INVALID;
  let scale = 1e8;
  for (i++; i < len; i++) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return INVALID;
    ns += c * scale;
    scale /= 10;
  }
  return Math.round(ns);
}

/** A single number in a value that may be a list (`502, 200` or `0.1 : 0.2`). */
export function isSingle(s: string): boolean {
  return s.indexOf(',') === -1 && s.indexOf(' : ') === -1;
}
