// The headers on every record logpod writes to Kafka: the event schema
// version (bumped when the event shape changes incompatibly, so the writer can
// tell), the content type, and on packed records the number of events. A
// single-event record shares one frozen header object with all others.

import type { IHeaders } from 'kafkajs';
import {
  LOGPOD_SCHEMA_HEADER,
  LOGPOD_SCHEMA_VERSION,
  CONTENT_TYPE_HEADER,
  CONTENT_TYPE_JSON,
} from '../../topic/contract.js';

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
