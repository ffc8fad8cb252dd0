// The headers on every message logpod writes to Kafka: the event schema
// version (bumped when the event shape changes incompatibly, so the writer can
// tell) and the content type. One frozen object shared by all messages.

import type { IHeaders } from 'kafkajs';

export const LOGPOD_SCHEMA_HEADER = 'logpod-schema';
export const LOGPOD_SCHEMA_VERSION = '1';
export const CONTENT_TYPE_HEADER = 'content-type';
export const CONTENT_TYPE_JSON = 'application/json';

export const MESSAGE_HEADERS: IHeaders = Object.freeze({
  [LOGPOD_SCHEMA_HEADER]: Buffer.from(LOGPOD_SCHEMA_VERSION),
  [CONTENT_TYPE_HEADER]: Buffer.from(CONTENT_TYPE_JSON),
});

/** Bytes a message takes besides its value and key: the headers and the record's framing (estimate). */
export const MESSAGE_OVERHEAD_BYTES =
  LOGPOD_SCHEMA_HEADER.length +
  LOGPOD_SCHEMA_VERSION.length +
  CONTENT_TYPE_HEADER.length +
  CONTENT_TYPE_JSON.length +
  32;
