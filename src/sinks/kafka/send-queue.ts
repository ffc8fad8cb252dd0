// Messages waiting for Kafka, one FIFO per message key (one key = one file), cut
// into chunks of at most batch_bytes. A key with a chunk in flight gives no more
// until that chunk is done, so one file's events reach Kafka in order even when
// a send fails and is retried. A batch is acknowledged once every one of its
// messages is, whichever chunks carried them.

import type { IHeaders, TopicMessages } from 'kafkajs';
import { splitRecord } from './record-packer.js';

export interface QueuedMessage {
  key: string | null;
  value: Buffer;
  headers: IHeaders;
  /** Events in the value (packed NDJSON records hold many); absent means one. */
  events?: number;
}

/** The messages of one event batch: one topic, one key. */
export interface Segment {
  readonly topic: string;
  /** Ordering key: messages of equal keys are delivered in order. */
  readonly key: string;
  readonly messages: readonly QueuedMessage[];
  /** Counted bytes of each message besides its value (key, headers, record framing). */
  readonly overhead: number;
  /** Counted bytes of all messages. */
  readonly bytes: number;
  readonly ack: () => void;
  /** Messages handed to chunks so far. */
  taken: number;
  /** Messages not yet acknowledged by Kafka. */
  unacked: number;
  acked: boolean;
}

export function newSegment(
  topic: string,
  key: string,
  messages: readonly QueuedMessage[],
  overhead: number,
  ack: () => void,
): Segment {
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) bytes += messages[i].value.length + overhead;
  return {
    topic,
    key,
    messages,
    overhead,
    bytes,
    ack,
    taken: 0,
    unacked: messages.length,
    acked: false,
  };
}

export interface ChunkPart {
  readonly segment: Segment;
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
}

/** One send: parts of segments, ready for producer.sendBatch. */
export interface Chunk {
  readonly parts: readonly ChunkPart[];
  readonly count: number;
  readonly bytes: number;
  readonly topics: readonly string[];
  readonly topicMessages: TopicMessages[];
  /** Keys this chunk holds until it is done (empty for the halves of a split chunk). */
  readonly keys: readonly KeyQueue[];
}

export interface KeyQueue {
  readonly key: string;
  /** Segments with messages not yet in a chunk, oldest first, from `head` on (slots before are cleared). */
  segments: (Segment | undefined)[];
  head: number;
  busy: boolean;
}

export class SendQueue {
  private readonly queues = new Map<string, KeyQueue>();
  /** Bytes of messages not yet in any chunk. */
  pendingBytes = 0;
  /** Segments with messages not yet in any chunk (or empty ones not yet in a chunk). */
  pendingSegments = 0;
  /** Bytes accepted and not yet acknowledged. */
  bufferedBytes = 0;
  /** Segments accepted and not yet acknowledged. */
  unackedSegments = 0;

  add(segment: Segment): void {
    let queue = this.queues.get(segment.key);
    if (queue === undefined) {
      queue = { key: segment.key, segments: [], head: 0, busy: false };
      this.queues.set(segment.key, queue);
    }
    queue.segments.push(segment);
    this.pendingBytes += segment.bytes;
    this.pendingSegments++;
    this.bufferedBytes += segment.bytes;
    this.unackedSegments++;
  }

  /**
   * The next chunk: waiting messages of keys with nothing in flight, oldest first per
   * key, up to maxBytes (at least one message). Undefined when no key can give any.
   */
  take(maxBytes: number): Chunk | undefined {
    const parts: ChunkPart[] = [];
    const keys: KeyQueue[] = [];
    let bytes = 0;
    let count = 0;
    fill: for (const queue of this.queues.values()) {
      if (queue.busy || queue.head === queue.segments.length) continue;
      while (queue.head < queue.segments.length) {
        const segment = queue.segments[queue.head]!;
        const { messages, overhead } = segment;
        const start = segment.taken;
        let end = start;
        let partBytes = 0;
        while (end < messages.length) {
          const size = messages[end].value.length + overhead;
          if (bytes + partBytes + size > maxBytes && count + end - start > 0) break;
          partBytes += size;
          end++;
        }
        if (end === start && start < messages.length) break fill;
        if (!queue.busy) {
          queue.busy = true;
          keys.push(queue);
        }
        parts.push({ segment, start, end, bytes: partBytes });
        segment.taken = end;
        bytes += partBytes;
        count += end - start;
        if (end < messages.length) break fill;
        // Taken whole: the queue lets go of it (the chunk holds it until acknowledged).
        queue.segments[queue.head++] = undefined;
        this.pendingSegments--;
      }
      if (bytes >= maxBytes) break;
    }
    if (parts.length === 0) return undefined;
    this.pendingBytes -= bytes;
    for (const queue of keys) {
      compact(queue);
      // Round robin: keys just served go to the back.
      this.queues.delete(queue.key);
      this.queues.set(queue.key, queue);
    }
    return makeChunk(parts, keys);
  }

  /** Records a chunk (or half of one) as delivered; returns the segments now complete, to acknowledge. */
  complete(chunk: Chunk): Segment[] {
    const done: Segment[] = [];
    for (const part of chunk.parts) {
      const segment = part.segment;
      segment.unacked -= part.end - part.start;
      if (segment.unacked === 0 && segment.taken === segment.messages.length && !segment.acked) {
        segment.acked = true;
        done.push(segment);
      }
    }
    this.bufferedBytes -= chunk.bytes;
    this.unackedSegments -= done.length;
    return done;
  }

  /** Frees the keys a chunk held, once it is done (delivered or given up). */
  release(chunk: Chunk): void {
    for (const queue of chunk.keys) {
      queue.busy = false;
      if (queue.head === queue.segments.length) this.queues.delete(queue.key);
    }
  }
}

/** Splits a chunk of two or more messages into two halves, in order. */
export function splitChunk(chunk: Chunk): [Chunk, Chunk] {
  const half = Math.floor(chunk.count / 2);
  const first: ChunkPart[] = [];
  const second: ChunkPart[] = [];
  let seen = 0;
  for (const part of chunk.parts) {
    const n = part.end - part.start;
    if (seen + n <= half) first.push(part);
    else if (seen >= half) second.push(part);
    else {
      const cut = part.start + (half - seen);
      first.push(slicePart(part, part.start, cut));
      second.push(slicePart(part, cut, part.end));
    }
    seen += n;
  }
  return [makeChunk(first, []), makeChunk(second, [])];
}

/**
 * A chunk of one packed record split into two chunks of one record each, holding
 * the first and second half of its events; undefined when it holds one event. The
 * first half settles nothing; the second carries the chunk's parts and bytes, so
 * the record counts as acknowledged only once both halves are.
 */
export function splitRecordChunk(chunk: Chunk): [Chunk, Chunk] | undefined {
  if (chunk.count !== 1 || chunk.topicMessages.length !== 1) return undefined;
  const { topic, messages } = chunk.topicMessages[0];
  const halves = splitRecord(messages[0] as QueuedMessage);
  if (halves === undefined) return undefined;
  const half = (message: QueuedMessage, parts: readonly ChunkPart[], bytes: number): Chunk => ({
    parts,
    count: 1,
    bytes,
    topics: chunk.topics,
    topicMessages: [{ topic, messages: [message] }],
    keys: [],
  });
  return [half(halves[0], [], 0), half(halves[1], chunk.parts, chunk.bytes)];
}

function slicePart(part: ChunkPart, start: number, end: number): ChunkPart {
  const { segment } = part;
  let bytes = 0;
  for (let i = start; i < end; i++) bytes += segment.messages[i].value.length + segment.overhead;
  return { segment, start, end, bytes };
}

function makeChunk(parts: ChunkPart[], keys: KeyQueue[]): Chunk {
  const byTopic = new Map<string, QueuedMessage[]>();
  let bytes = 0;
  let count = 0;
  for (const { segment, start, end, bytes: partBytes } of parts) {
    bytes += partBytes;
    count += end - start;
    if (end === start) continue;
    let messages = byTopic.get(segment.topic);
    if (messages === undefined) {
      messages = [];
      byTopic.set(segment.topic, messages);
    }
    for (let i = start; i < end; i++) messages.push(segment.messages[i]);
  }
  const topicMessages: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
  return { parts, count, bytes, topics: [...byTopic.keys()], topicMessages, keys };
}

/** Drops cleared slots: all of them when the queue is drained, else once they are most of it. */
function compact(queue: KeyQueue): void {
  if (queue.head === queue.segments.length) {
    queue.segments = [];
    queue.head = 0;
  } else if (queue.head >= 1024 && queue.head * 2 >= queue.segments.length) {
    queue.segments = queue.segments.slice(queue.head);
    queue.head = 0;
  }
}
