// The file input's public data types: the lines and chunks it hands out and
// the statistics it reports. A chunk's lines reference buffers that are never
// reused, so a consumer may keep them past an await.

import type { FileInputEventCounts } from './events.js';

/** One line: bytes buf[start..end) without the terminator (LF or CRLF). */
export interface RawLine {
  buf: Buffer;
  start: number;
  end: number;
  /** File offset of the line's first byte. */
  offset: number;
  /** The line was longer than max_line_bytes and was cut there. */
  truncated: boolean;
}

/** Consecutive lines of one file, acknowledged together. */
export interface FileChunk {
  inputId: string;
  sourceId: string;
  path: string;
  lines: RawLine[];
  /** Sum of the lines' byte lengths. */
  bytes: number;
  /** File offset just after the last line's terminator: where a restart resumes once acked. */
  endOffset: number;
  /**
   * Call once every line is delivered. Idempotent. A standalone function: it
   * may be passed on without the chunk, and holds counts, not the lines.
   */
  readonly ack: () => void;
}

export interface FileStats {
  path: string;
  sourceId: string;
  /** Size at the last look. */
  size: number;
  /** Next byte to read. */
  offsetRead: number;
  /** Committed offset: every line before it is acknowledged. */
  offsetAcked: number;
  open: boolean;
}

export interface FileInputStats {
  files: FileStats[];
  openFiles: number;
  lines: number;
  /** Bytes of the lines handed out. */
  bytes: number;
  /** Bytes read from files (lines, terminators and skipped bytes). */
  bytesRead: number;
  /** Bytes known to be waiting in files (size minus offset read, summed). */
  backlogBytes: number;
  truncatedLines: number;
  skippedBytes: number;
  registryWrites: number;
  registryWriteErrors: number;
  /** Matching files that could not be opened at the last attempt (permission denied). */
  unreadableFiles: string[];
  inFlightBytes: number;
  inFlightEvents: number;
  /** How often each file input event happened (see events.ts). */
  events: FileInputEventCounts;
}

/** Counters the input's parts add to. */
export interface InputCounters {
  lines: number;
  bytes: number;
  bytesRead: number;
  truncatedLines: number;
  skippedBytes: number;
}

export function newCounters(): InputCounters {
  return { lines: 0, bytes: 0, bytesRead: 0, truncatedLines: 0, skippedBytes: 0 };
}
