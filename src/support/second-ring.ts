// Per-second counts in a ring, for the alert rules and the live dashboard:
// `channels` counters for each of the last `seconds` seconds, in typed arrays
// allocated once. Each slot remembers which second it holds, so a count for a
// second that has left the window is ignored and memory never grows.

export class SecondRing {
  /** The unix second each slot holds; -1 while unused. */
  private readonly slotSecond: Float64Array;
  private readonly counts: Uint32Array;

  constructor(
    readonly seconds: number,
    readonly channels: number,
  ) {
    if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError('seconds must be >= 1');
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError('channels must be >= 1');
    this.slotSecond = new Float64Array(seconds).fill(-1);
    this.counts = new Uint32Array(seconds * channels);
  }

  /** Adds `n` to `channel` in unix second `sec`; a second older than its slot holds is ignored. */
  add(sec: number, channel: number, n = 1): void {
    if (n === 0) return;
    const i = this.slot(sec);
    const held = this.slotSecond[i];
    if (held !== sec) {
      if (sec < held) return;
      this.slotSecond[i] = sec;
      this.counts.fill(0, i * this.channels, (i + 1) * this.channels);
    }
    this.counts[i * this.channels + channel] += n;
  }

  /** The count of `channel` in second `sec` (0 when its slot holds another second). */
  count(sec: number, channel: number): number {
    const i = this.slot(sec);
    return this.slotSecond[i] === sec ? this.counts[i * this.channels + channel] : 0;
  }

  /** The count of `channel` over the seconds from..to (inclusive), within the window ending at `to`. */
  sum(channel: number, from: number, to: number): number {
    let total = 0;
    for (let s = Math.max(from, to - this.seconds + 1); s <= to; s++)
      total += this.count(s, channel);
    return total;
  }

  private slot(sec: number): number {
    const n = this.seconds;
    return ((sec % n) + n) % n;
  }
}
