// What a consumed record holds, read from its headers (the topic contract in
// the README): content-type application/x-ndjson means many events, one JSON
// a line; anything else, or no header (older agents, other producers), one
// event. The event count bounds the writer's bulk requests by events.

import type { IHeaders } from 'kafkajs';
import {
  CONTENT_TYPE_HEADER,
  CONTENT_TYPE_NDJSON,
  EVENT_COUNT_HEADER,
} from '../../topic/contract.js';

const NEWLINE = 0x0a;

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** True when the record's value is NDJSON of several events. */
export function isPacked(headers: IHeaders | undefined): boolean {
  const type = headerText(headers, CONTENT_TYPE_HEADER);
  if (type === undefined) return false;
  // "application/x-ndjson", optionally with parameters ("; charset=utf-8").
  return type === CONTENT_TYPE_NDJSON || type.startsWith(CONTENT_TYPE_NDJSON + ';');
}

/** Events a packed record holds: its count header, else its lines; 1 for a single-event record. */
export function eventCount(
  packed: boolean,
  headers: IHeaders | undefined,
  value: Buffer | null,
): number {
  if (!packed || value === null) return 1;
  const declared = Number(headerText(headers, EVENT_COUNT_HEADER));
  if (Number.isSafeInteger(declared) && declared > 0) return declared;
  let n = 0;
  for (let at = value.indexOf(NEWLINE); at !== -1; at = value.indexOf(NEWLINE, at + 1)) n++;
  return Math.max(1, n);
}
