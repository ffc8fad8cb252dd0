// Acknowledgements of one file's chunks. Chunks are handed out in file order;
// acks may come back in any order; the committed offset only ever moves to the
// end of the longest acknowledged prefix, so it never passes an unacked line.

export interface AckSlot {
  readonly endOffset: number;
  acked: boolean;
}

export class AckTracker {
  /** Every line before this offset is acknowledged. */
  committed: number;
  private slots: AckSlot[] = [];
  private head = 0;

  constructor(committed: number) {
    this.committed = committed;
  }

  /** Number of chunks handed out and not yet acknowledged. */
  get pending(): number {
    return this.slots.length - this.head;
  }

  /** Registers a chunk ending at `endOffset` (greater than any before). */
  push(endOffset: number): AckSlot {
    const slot: AckSlot = { endOffset, acked: false };
    this.slots.push(slot);
    return slot;
  }

  /** Marks a chunk acknowledged; returns true when the committed offset moved. */
  ack(slot: AckSlot): boolean {
    if (slot.acked) return false;
    slot.acked = true;
    let moved = false;
    while (this.head < this.slots.length && this.slots[this.head].acked) {
      this.committed = this.slots[this.head].endOffset;
      this.head++;
      moved = true;
    }
    if (this.head === this.slots.length) {
      this.slots = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
    return moved;
  }
}
