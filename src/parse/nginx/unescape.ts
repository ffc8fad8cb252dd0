// Undoes nginx's log escaping: each run of `\xHH` becomes the real bytes, read
// as UTF-8 once; bytes that are not valid UTF-8 stay as `\xHH` text, so the
// result is lossless. Text without a backslash is returned as is (no copy).

import { decodeUtf8Lossless } from '../decode-line.js';

const BACKSLASH = 0x5c;
const LOWER_X = 0x78;

/** Value of one hex digit char code, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Byte value of a `\xHH` escape starting at `i`, or -1 if there is none. */
function escapeAt(s: string, i: number): number {
  if (i + 3 >= s.length || s.charCodeAt(i) !== BACKSLASH || s.charCodeAt(i + 1) !== LOWER_X) {
    return -1;
  }
  const hi = hexValue(s.charCodeAt(i + 2));
  const lo = hexValue(s.charCodeAt(i + 3));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

// Scratch space for a run of escaped bytes; grown when a run is longer.
let scratch = new Uint8Array(256);

/** Decodes nginx `\xHH` escapes in `s`. */
export function unescapeNginx(s: string): string {
  let i = s.indexOf('\\x');
  if (i === -1) return s;
  let out = '';
  let copied = 0;
  while (i !== -1) {
    let n = 0;
    let j = i;
    let b = escapeAt(s, j);
    while (b >= 0) {
      if (n === scratch.length) {
        const bigger = new Uint8Array(scratch.length * 2);
        bigger.set(scratch);
        scratch = bigger;
      }
      scratch[n++] = b;
      j += 4;
      b = escapeAt(s, j);
    }
    if (n === 0) {
      i = s.indexOf('\\x', i + 1);
      continue;
    }
    out += s.slice(copied, i);
    out += decodeRun(n);
    copied = j;
    i = s.indexOf('\\x', j);
  }
  return copied === 0 ? s : out + s.slice(copied);
}

function decodeRun(n: number): string {
  let ascii = true;
  for (let k = 0; k < n; k++) {
    if (scratch[k] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(scratch.buffer, 0, n).toString('latin1');
  return decodeUtf8Lossless(scratch, 0, n);
}
