// Reads access lines with a compiled log_format: literals are matched exactly,
// each variable's extent is found with indexOf, its fixed width, or (before an
// adjacent variable) a scan over its character class, left to right, once.
// A line that does not fit becomes a `_parse_failure` event.

import type { EcsEvent } from '../../pipeline/event.js';
import { buildAccessEvent } from './access-event.js';
import { parseFailure } from './failure.js';
import type { CompiledFormat, Segment } from './log-format.js';
import type { TimeParser } from './timestamp.js';
import type { SlotValue } from './values.js';
import { SCAN_CLASS, SCAN_FIXED, SCAN_LIST } from './variables.js';
import { NON_ASCII } from './value-classes.js';
import type { CharSet } from './value-classes.js';

const SPACE = 0x20;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Where a list value (`a:80, b:80 : c:80`) ends: the first `literal` that is
 * not one of the list's own `, ` or ` : ` separators. Linear in the line.
 */
function listEnd(line: string, literal: string, from: number): number {
  let i = line.indexOf(literal, from);
  if (literal.charCodeAt(0) !== SPACE) return i;
  while (i !== -1) {
    const prev = i > from ? line.charCodeAt(i - 1) : -1;
    const separator =
      prev === COMMA ||
      (line.charCodeAt(i + 1) === COLON && line.charCodeAt(i + 2) === SPACE) ||
      (prev === COLON && i - 2 >= from && line.charCodeAt(i - 2) === SPACE);
    if (!separator) return i;
    i = line.indexOf(literal, i + 1);
  }
  return -1;
}

/** Where a run of characters of `set` starting at `from` ends. */
function classEnd(line: string, set: CharSet, from: number): number {
  const len = line.length;
  let i = from;
  while (i < len) {
    const c = line.charCodeAt(i);
    if (set[c < NON_ASCII ? c : NON_ASCII] !== 1) break;
    i++;
  }
  return i;
}

export class AccessLineParser {
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly segments: Segment[];
  private readonly format: CompiledFormat;
  /** Raw values of the current line, by slot; reused for every line. */
  private readonly slots: SlotValue[];

  constructor(
    format: CompiledFormat,
    private readonly time: TimeParser,
  ) {
    this.format = format;
    this.prefix = format.prefix;
    this.suffix = format.suffix;
    this.segments = format.segments;
    this.slots = new Array<SlotValue>(format.slotCount).fill(undefined);
  }

  parse(line: string): EcsEvent {
    try {
      if (this.read(line)) {
        const ev = buildAccessEvent(this.slots, this.format.extras, line, this.time);
        if (ev !== undefined) return ev;
      }
    } catch {
      // Unreachable by design; should a bug throw, the line still goes on.
    }
    return parseFailure(line, 'nginx.access');
  }

  /** Fills the slots from `line`; false when the line does not fit the format. */
  private read(line: string): boolean {
    const segments = this.segments;
    const slots = this.slots;
    const len = line.length;
    const last = segments.length - 1;
    let pos = this.prefix.length;
    if (pos > 0 && !line.startsWith(this.prefix)) return false;
    for (let k = 0; k < last; k++) {
      const seg = segments[k];
      const literal = seg.literal;
      let end: number;
      if (seg.scan === SCAN_FIXED) {
        end = pos + seg.width;
        if (end > len || !line.startsWith(literal, end)) return false;
      } else if (seg.scan === SCAN_CLASS) {
        end = classEnd(line, seg.chars!, pos);
      } else {
        end = seg.scan === SCAN_LIST ? listEnd(line, literal, pos) : line.indexOf(literal, pos);
        if (end === -1) return false;
      }
      slots[seg.slot] = line.slice(pos, end);
      pos = end + literal.length;
    }
    const end = len - this.suffix.length;
    if (end < pos || !line.endsWith(this.suffix)) return false;
    const seg = segments[last];
    if (seg.scan === SCAN_FIXED && end - pos !== seg.width) return false;
    slots[seg.slot] = line.slice(pos, end);
    return true;
  }
}
