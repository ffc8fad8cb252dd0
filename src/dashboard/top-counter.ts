// Counts keys (pages, countries, cities) in bounded memory: a map of at most 2 x capacity
// keys, pruned back to the `capacity` largest counts whenever it fills. Heavy hitters stay
// exact; a long tail of one-off keys (a scanner's random URLs) is forgotten. Keys are cut
// to maxKeyLength characters, so memory is bounded whatever the log lines hold.

export interface Counted {
  key: string;
  count: number;
}

export class TopCounter {
  private counts = new Map<string, number>();
  private readonly limit: number;

  constructor(
    readonly capacity: number,
    private readonly maxKeyLength = 256,
  ) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
    this.limit = 2 * capacity;
  }

  get size(): number {
    return this.counts.size;
  }

  add(key: string, n = 1): void {
    const k = key.length > this.maxKeyLength ? key.slice(0, this.maxKeyLength) : key;
    const c = this.counts.get(k);
    if (c !== undefined) {
      this.counts.set(k, c + n);
      return;
    }
    if (this.counts.size >= this.limit) this.prune();
    this.counts.set(k, n);
  }

  /** Adds every count of this counter into `into` (a plain map, for merging windows). */
  addTo(into: Map<string, number>): void {
    for (const [k, c] of this.counts) into.set(k, (into.get(k) ?? 0) + c);
  }

  clear(): void {
    this.counts.clear();
  }

  /** The `n` largest counts, largest first; equal counts in key order. */
  top(n: number): Counted[] {
    return topOf(this.counts, n);
  }

  /** Keeps the `capacity` largest counts: amortised O(log capacity) per new key. */
  private prune(): void {
    const kept = topOf(this.counts, this.capacity);
    this.counts = new Map(kept.map((e) => [e.key, e.count]));
  }
}

export function topOf(counts: Map<string, number>, n: number): Counted[] {
  const all: Counted[] = [];
  for (const [key, count] of counts) all.push({ key, count });
  all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return all.length > n ? all.slice(0, n) : all;
}
