// Line framing: splits bytes read from a file into LF or CRLF terminated lines.
// Lines that fit in one read reference one fresh copy of that read; a line that
// spans reads is held in a carry buffer that never grows past max_line_bytes+1,
// so a line of any length costs bounded memory (the excess is skipped, counted).

import type { InputCounters, RawLine } from './types.js';

const LF = 0x0a;
const CR = 0x0d;
/** A carry buffer larger than this is released once its line is emitted. */
const KEEP_CARRY_BYTES = 64 * 1024;

export class LineFramer {
  /** File offset of the first byte of the incomplete line (= end of the last emitted line). */
  lineStart: number;
  /** File offset just after the last byte pushed. */
  readEnd: number;
  private carry: Buffer | null = null;
  /** Bytes of the incomplete line held in `carry` (at most max + 1). */
  private held = 0;
  /** Bytes of the incomplete line seen so far, held or skipped. */
  private total = 0;
  private lastByte = -1;

  constructor(
    private readonly maxLineBytes: number,
    private readonly counters: InputCounters,
    offset = 0,
  ) {
    this.lineStart = offset;
    this.readEnd = offset;
  }

  /** Forget any incomplete line and continue at `offset`. */
  reset(offset: number): void {
    this.lineStart = offset;
    this.readEnd = offset;
    this.held = 0;
    this.total = 0;
    this.lastByte = -1;
    this.carry = null;
  }

  /** True while bytes of an unterminated line are held. */
  get hasPartial(): boolean {
    return this.readEnd > this.lineStart;
  }

  /**
   * Frames `view` (bytes read at file offset `pos`, which must equal readEnd)
   * and appends complete lines to `out`. `view` may be reused by the caller
   * afterwards: nothing emitted references it.
   */
  push(view: Buffer, pos: number, out: RawLine[]): void {
    if (pos !== this.readEnd) this.reset(pos);
    const n = view.length;
    let i = 0;
    if (this.readEnd > this.lineStart) {
      const nl = view.indexOf(LF);
      if (nl === -1) {
        this.append(view, 0, n);
        this.readEnd = pos + n;
        return;
      }
      this.append(view, 0, nl);
      this.emitCarried(out, pos + nl + 1);
      i = nl + 1;
    }
    const last = view.lastIndexOf(LF);
    if (last >= i) {
      // One copy per read for all the lines inside it: cheaper than a copy per line.
      const fresh = Buffer.allocUnsafe(last + 1 - i);
      view.copy(fresh, 0, i, last + 1);
      const base = pos + i;
      const max = this.maxLineBytes;
      let s = 0;
      while (s < fresh.length) {
        const nl = fresh.indexOf(LF, s);
        let end = nl;
        if (end > s && fresh[end - 1] === CR) end--;
        let truncated = false;
        if (end - s > max) {
          this.counters.skippedBytes += end - s - max;
          this.counters.truncatedLines++;
          end = s + max;
          truncated = true;
        }
        out.push({ buf: fresh, start: s, end, offset: base + s, truncated });
        s = nl + 1;
      }
      i = last + 1;
      this.lineStart = pos + i;
    }
    if (i < n) this.append(view, i, n);
    this.readEnd = pos + n;
  }

  /**
   * Emits the held unterminated line as it is (after partial_line_timeout).
   * Bytes that later continue it form a line of their own at readEnd.
   */
  flushPartial(out: RawLine[]): boolean {
    if (this.readEnd <= this.lineStart) return false;
    const truncated = this.total > this.maxLineBytes;
    const len = Math.min(this.held, this.maxLineBytes);
    if (truncated) {
      this.counters.skippedBytes += this.total - len;
      this.counters.truncatedLines++;
    }
    out.push(this.takeCarry(len, truncated));
    this.lineStart = this.readEnd;
    return true;
  }

  private append(view: Buffer, from: number, to: number): void {
    const len = to - from;
    if (len === 0) return;
    this.total += len;
    this.lastByte = view[to - 1];
    const room = this.maxLineBytes + 1 - this.held;
    if (room <= 0) return;
    const take = Math.min(room, len);
    const need = this.held + take;
    if (this.carry === null || this.carry.length < need) {
      const cap = Math.min(
        this.maxLineBytes + 1,
        Math.max(need, 256, (this.carry?.length ?? 0) * 2),
      );
      const grown = Buffer.allocUnsafe(cap);
      if (this.carry !== null) this.carry.copy(grown, 0, 0, this.held);
      this.carry = grown;
    }
    view.copy(this.carry, this.held, from, from + take);
    this.held = need;
  }

  private emitCarried(out: RawLine[], nextStart: number): void {
    let content = this.total;
    let len = this.held;
    if (this.lastByte === CR) {
      content--;
      if (this.held === this.total) len--;
    }
    const truncated = content > this.maxLineBytes;
    if (truncated) {
      len = this.maxLineBytes;
      this.counters.skippedBytes += content - len;
      this.counters.truncatedLines++;
    }
    out.push(this.takeCarry(len, truncated));
    this.lineStart = nextStart;
  }

  private takeCarry(len: number, truncated: boolean): RawLine {
    const buf = Buffer.allocUnsafe(len);
    if (len > 0 && this.carry !== null) this.carry.copy(buf, 0, 0, len);
    const line: RawLine = { buf, start: 0, end: len, offset: this.lineStart, truncated };
    this.held = 0;
    this.total = 0;
    this.lastByte = -1;
    if (this.carry !== null && this.carry.length > KEEP_CARRY_BYTES) this.carry = null;
    return line;
  }
}
