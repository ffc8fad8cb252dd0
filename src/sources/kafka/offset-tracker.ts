// Which offsets of one partition may be committed: chunks of messages are
// delivered concurrently and settle in any order, but the committed offset only
// moves over a contiguous prefix of settled chunks, so nothing unsettled is
// ever skipped by a commit.

export interface Chunk {
  readonly lastOffset: string;
  settled: boolean;
}

export class OffsetTracker {
  private readonly chunks: Chunk[] = [];
  private head = 0;

  /** Registers the next chunk, in offset order; returns its handle. */
  add(lastOffset: string): Chunk {
    const chunk: Chunk = { lastOffset, settled: false };
    this.chunks.push(chunk);
    return chunk;
  }

  settle(chunk: Chunk): void {
    chunk.settled = true;
  }

  /** The last offset of the settled prefix not yet taken, or undefined; takes it. */
  takeCommittable(): string | undefined {
    let last: string | undefined;
    while (this.head < this.chunks.length && this.chunks[this.head].settled) {
      last = this.chunks[this.head].lastOffset;
      this.head++;
    }
    if (this.head > 1024) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
    return last;
  }

  /** Chunks added and not yet taken (settled or not). */
  get pending(): number {
    return this.chunks.length - this.head;
  }
}

/** The offset to commit after `lastOffset` was processed: the next one to read. */
export function nextOffset(lastOffset: string): string {
  return (BigInt(lastOffset) + 1n).toString();
}
