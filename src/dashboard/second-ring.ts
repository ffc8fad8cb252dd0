// Requests per second and status class over the last `seconds` seconds: one slot per
// second in fixed typed arrays, reused as time moves on. Memory is set at construction;
// a count for a second older than what its slot already holds is outside the window.

import { STATUS_CLASSES } from './snapshot.js';

const CLASSES = STATUS_CLASSES.length;

export class SecondRing {
  /** The unix second each slot holds; -1 while unused. */
  private readonly slotSecond: Float64Array;
  private readonly counts: Uint32Array;

  constructor(readonly seconds: number) {
    if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError('seconds must be >= 1');
    this.slotSecond = new Float64Array(seconds).fill(-1);
    this.counts = new Uint32Array(seconds * CLASSES);
  }

  /** Counts one request of class `cls` (an index into STATUS_CLASSES) in unix second `sec`. */
  add(sec: number, cls: number): void {
    const i = sec % this.seconds;
    const held = this.slotSecond[i];
    if (held !== sec) {
      if (sec < held) return;
      this.slotSecond[i] = sec;
      this.counts.fill(0, i * CLASSES, (i + 1) * CLASSES);
    }
    this.counts[i * CLASSES + cls]++;
  }

  /** Counts of class `cls` in second `sec` (0 when the slot holds another second). */
  count(sec: number, cls: number): number {
    const i = sec % this.seconds;
    return this.slotSecond[i] === sec ? this.counts[i * CLASSES + cls] : 0;
  }

  /** Per-class sums over the seconds from..to (inclusive). */
  sum(from: number, to: number): number[] {
    const out = new Array<number>(CLASSES).fill(0);
    for (let s = Math.max(from, to - this.seconds + 1); s <= to; s++) {
      const i = s % this.seconds;
      if (this.slotSecond[i] !== s) continue;
      for (let c = 0; c < CLASSES; c++) out[c] += this.counts[i * CLASSES + c];
    }
    return out;
  }

  /** The window ending at `to` as columns: t (unix seconds) and one array per class. */
  series(to: number): { t: number[]; byClass: number[][] } {
    const t: number[] = new Array(this.seconds);
    const byClass = Array.from({ length: CLASSES }, () => new Array<number>(this.seconds));
    for (let k = 0; k < this.seconds; k++) {
      const s = to - this.seconds + 1 + k;
      t[k] = s;
      for (let c = 0; c < CLASSES; c++) byClass[c][k] = this.count(s, c);
    }
    return { t, byClass };
  }
}
