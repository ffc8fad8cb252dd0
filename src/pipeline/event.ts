// The event every stage passes on: a nested object named after the Elastic
// Common Schema (ECS). Parsers build it; enrichers add to it; sinks encode it
// with encodeEvent. Absent values are absent keys, never '-' or null.

export interface EcsEvent {
  '@timestamp'?: string;
  message?: string;
  tags?: string[];
  event: {
    original: string;
    id?: string;
    duration?: number;
    dataset?: string;
    kind?: string;
  };
  log?: {
    level?: string;
    file?: { path: string };
    offset?: number;
  };
  [key: string]: unknown;
}

/** Where a line came from: enough to make `event.id` and `log.*`. */
export interface LineOrigin {
  /** Stable identity of the file (survives rename). */
  sourceId: string;
  path: string;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
}

/** Tags the parser and framing attach. */
export const TAG_PARSE_FAILURE = '_parse_failure';
export const TAG_TRUNCATED = '_truncated';
export const TAG_INVALID_UTF8 = '_invalid_utf8';

/** Adds a tag once. */
export function addTag(event: EcsEvent, tag: string): void {
  if (event.tags === undefined) event.tags = [tag];
  else if (!event.tags.includes(tag)) event.tags.push(tag);
}
