// The event every stage passes on: a nested object named after the Elastic
// Common Schema (ECS). Parsers build it; enrichers add to it; sinks encode it
// with encodeEvent. Absent values are absent keys, never '-' or null.

import { isPlainObject } from '../support/plain-object.js';

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

/** Tags the parser and framing attach. */
export const TAG_PARSE_FAILURE = '_parse_failure';
export const TAG_TRUNCATED = '_truncated';
export const TAG_INVALID_UTF8 = '_invalid_utf8';

/** Adds a tag once. */
export function addTag(event: EcsEvent, tag: string): void {
  if (event.tags === undefined) event.tags = [tag];
  else if (!event.tags.includes(tag)) event.tags.push(tag);
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
