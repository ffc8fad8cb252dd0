// A file input's "to events" step, wired here because it joins two stages
// that know nothing of each other (the file source frames lines, the parser
// reads text): each line is decoded once, parsed, and stamped with where it
// came from. event.id is derived from the file's identity and the line's
// start offset, so a replayed line gets the same id and downstream writes can
// be idempotent.

import {
  addTag,
  mergeMissing,
  TAG_INVALID_UTF8,
  TAG_PARSE_FAILURE,
  TAG_TRUNCATED,
} from '../pipeline/event.js';
import type { EcsEvent } from '../pipeline/event.js';
import type { PipelineCounters } from '../pipeline/counters.js';
import type { ToEvents } from '../pipeline/source.js';
import type { FileChunk } from '../sources/file/types.js';
import type { LineParser } from '../parse/index.js';
import { decodeLine } from '../parse/decode-line.js';

export interface FileEventsContext {
  readonly parser: LineParser;
  /** The input's format name, for topic templates downstream. */
  readonly format: string;
  /** Shared, never mutated: `host` on every event. */
  readonly host: { readonly name: string };
  readonly tags: readonly string[];
  /** Extra fields merged into every event without overwriting parsed values. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/** The step for one input: its chunks become batches acknowledged back to the file. */
export function fileEvents(
  ctx: FileEventsContext,
  counters: PipelineCounters,
): ToEvents<FileChunk> {
  return (chunk) => ({
    events: chunkToEvents(chunk, ctx, counters),
    origin: { inputId: chunk.inputId, sourceId: chunk.sourceId, format: ctx.format },
    bytes: chunk.bytes,
    // The chunk's own ack, not a closure over the chunk: what waits for the
    // output's acknowledgement must not keep the chunk's lines (and the read
    // buffers under them) in memory.
    ack: chunk.ack,
  });
}

export function eventId(sourceId: string, offset: number): string {
  return `${sourceId}-${offset}`;
}

export function chunkToEvents(
  chunk: FileChunk,
  ctx: FileEventsContext,
  counters: PipelineCounters,
): EcsEvent[] {
  const lines = chunk.lines;
  const events: EcsEvent[] = new Array(lines.length);
  const path = chunk.path;
  // A line that could not be parsed has no time of its own; data streams need
  // one, so it gets the time it was read.
  let readAt: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const decoded = decodeLine(line.buf, line.start, line.end);
    const event = ctx.parser.parse(decoded.text);
    event.event.id = eventId(chunk.sourceId, line.offset);
    if (event['@timestamp'] === undefined)
      event['@timestamp'] = readAt ??= new Date().toISOString();
    const log = event.log;
    if (log === undefined) event.log = { file: { path }, offset: line.offset };
    else {
      log.file = { path };
      log.offset = line.offset;
    }
    event.host = ctx.host;
    if (line.truncated) {
      addTag(event, TAG_TRUNCATED);
      counters.truncatedLines++;
    }
    if (decoded.invalidUtf8) {
      addTag(event, TAG_INVALID_UTF8);
      counters.invalidUtf8Lines++;
    }
    for (let t = 0; t < ctx.tags.length; t++) addTag(event, ctx.tags[t]);
    if (ctx.fields !== undefined) mergeMissing(event, ctx.fields);
    if (event.tags !== undefined && event.tags.includes(TAG_PARSE_FAILURE))
      counters.parseFailures++;
    counters.countStatus(
      (event.http as { response?: { status_code?: unknown } } | undefined)?.response?.status_code,
    );
    counters.bytesRead += line.end - line.start;
    events[i] = event;
  }
  counters.linesRead += lines.length;
  counters.eventsParsed += lines.length;
  return events;
}
