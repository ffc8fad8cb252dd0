// Bytes of one line to text, decoded once. Valid UTF-8 (nearly always plain
// ASCII from nginx) takes a native fast path; invalid byte sequences are kept
// losslessly as `\xHH` text, the convention nginx itself uses for escapes.

import { isUtf8 } from 'node:buffer';

const HEX = '0123456789ABCDEF';

export interface DecodedLine {
  text: string;
  invalidUtf8: boolean;
}

/**
 * Decodes `buf[start, end)` as UTF-8. Never throws for any byte content;
 * `invalidUtf8` is true when some bytes had to be rendered as `\xHH`.
 */
export function decodeLine(buf: Buffer, start = 0, end = buf.length): DecodedLine {
  const from = start < 0 ? 0 : start > buf.length ? buf.length : start;
  const to = end > buf.length ? buf.length : end < from ? from : end;
  const text = buf.toString('utf8', from, to);
  // U+FFFD is what toString puts in place of invalid bytes; its absence proves
  // the bytes were valid. Its presence may still be a genuine U+FFFD.
  if (text.indexOf('\uFFFD') === -1 || isUtf8(buf.subarray(from, to))) {
    return { text, invalidUtf8: false };
  }
  return { text: decodeUtf8Lossless(buf, from, to), invalidUtf8: true };
}

/**
 * Decodes bytes as UTF-8, rendering every byte that is not part of a
 * well-formed sequence as `\xHH` (upper-case hex). Runs in one pass.
 */
export function decodeUtf8Lossless(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let runStart = start;
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(buf, i, end);
    if (len > 0) {
      i += len;
      continue;
    }
    if (runStart < i)
      out += Buffer.from(buf.buffer, buf.byteOffset + runStart, i - runStart).toString('utf8');
    out += '\\x' + HEX[b >> 4] + HEX[b & 15];
    i++;
    runStart = i;
  }
  if (runStart < end) {
    out += Buffer.from(buf.buffer, buf.byteOffset + runStart, end - runStart).toString('utf8');
  }
  return out;
}

/** Length of the well-formed multi-byte sequence at `i`, or 0 (Unicode Table 3-7). */
function sequenceLength(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i];
  if (b >= 0xc2 && b <= 0xdf) {
    return i + 1 < end && isCont(buf[i + 1]) ? 2 : 0;
  }
  if (b >= 0xe0 && b <= 0xef) {
    if (i + 2 >= end) return 0;
    const b1 = buf[i + 1];
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return b1 >= lo && b1 <= hi && isCont(buf[i + 2]) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (i + 3 >= end) return 0;
    const b1 = buf[i + 1];
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return b1 >= lo && b1 <= hi && isCont(buf[i + 2]) && isCont(buf[i + 3]) ? 4 : 0;
  }
  return 0;
}

function isCont(b: number): boolean {
  return b >= 0x80 && b <= 0xbf;
}
