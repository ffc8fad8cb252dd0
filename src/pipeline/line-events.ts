// The stage between a file source and the sinks: each raw line is decoded
// once, parsed, and stamped with where it came from. event.id is derived
// from the file's identity and the line's start offset, so a replayed line
// gets the same id and downstream writes can be idempotent.

import type { EcsEvent } from './event.js';
import { addTag, TAG_INVALID_UTF8, TAG_PARSE_FAILURE, TAG_TRUNCATED } from './event.js';
import type { PipelineCounters } from './counters.js';
import type { FileChunk } from '../sources/file/types.js';
import type { LineParser } from '../parse/index.js';
import { decodeLine } from '../parse/decode-line.js';
import { isPlainObject } from '../support/plain-object.js';

/** Work on every chunk's events after parsing, before the output (enrichment, alerts). */
export interface EventStage {
  process(events: EcsEvent[]): void;
}

export interface InputContext {
  readonly parser: LineParser;
  /** The input's format name, for topic templates downstream. */
  readonly format: string;
  /** Shared, never mutated: `host` on every event. */
  readonly host: { readonly name: string };
  readonly tags: readonly string[];
  /** Extra fields merged into every event without overwriting parsed values. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
  /** Built once from config; absent when every part of it is disabled. */
  readonly stage?: EventStage;
}

export function eventId(sourceId: string, offset: number): string {
  return `${sourceId}-${offset}`;
}

export function chunkToEvents(
  chunk: FileChunk,
  ctx: InputContext,
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
  if (ctx.stage !== undefined) ctx.stage.process(events);
  return events;
}

/**
 * Adds `extra` into `target` where target has no value yet; objects merge key by key.
 * Only own properties are read and written, and prototype keys are skipped: `target[key]`
 * on "__proto__" would otherwise read (and merge into) Object.prototype.
 */
export function mergeMissing(
  target: Record<string, unknown>,
  extra: Readonly<Record<string, unknown>>,
): void {
  for (const key of Object.keys(extra)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const value = extra[key];
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (existing === undefined) {
      Object.defineProperty(target, key, {
        value: isPlainObject(value) ? structuredClone(value) : value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (isPlainObject(existing) && isPlainObject(value)) mergeMissing(existing, value);
  }
}
