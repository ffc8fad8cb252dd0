// Per-second counters in a ring: `channels` counts for each of the last
// `seconds` seconds, in typed arrays allocated once. Moving to a later second
// clears the buckets it skips, so memory never grows and old counts age out.

export class SecondRing {
  private readonly counts: Uint32Array[];
  /** The absolute second (epoch seconds) of the newest bucket. */
  private head = -1;

  constructor(
    readonly seconds: number,
    channels: number,
  ) {
    if (!(seconds >= 1)) throw new RangeError('seconds must be at least 1');
    this.counts = Array.from({ length: channels }, () => new Uint32Array(seconds));
  }

  /** Makes `second` the newest bucket; a clock going back keeps counting into the newest. */
  advance(second: number): void {
    const head = this.head;
    if (second <= head) return;
    const size = this.seconds;
    const steps = head < 0 ? size : Math.min(second - head, size);
    for (let k = 1; k <= steps; k++) {
      const index = (((second - steps + k) % size) + size) % size;
      for (const channel of this.counts) channel[index] = 0;
    }
    this.head = second;
  }

  add(channel: number, n: number): void {
    if (n === 0 || this.head < 0) return;
    this.counts[channel][this.head % this.seconds] += n;
  }

  /** The count of `channel` over the newest `seconds` buckets (the current second included). */
  sum(channel: number, seconds: number): number {
    if (this.head < 0) return 0;
    const counts = this.counts[channel];
    const size = this.seconds;
    const n = Math.min(seconds, size);
    let total = 0;
    for (let k = 0; k < n; k++) total += counts[(((this.head - k) % size) + size) % size];
    return total;
  }
}
