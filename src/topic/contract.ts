// The topic contract between the agent (producer) and the writer (consumer),
// and any other consumer of the topic: the header names and content types that
// say what a record's value is. Both sides read these names from here only.

export const LOGPOD_SCHEMA_HEADER = 'logpod-schema';
export const LOGPOD_SCHEMA_VERSION = '1';
export const CONTENT_TYPE_HEADER = 'content-type';
/** One event: the value is one JSON object. */
export const CONTENT_TYPE_JSON = 'application/json';
/** Packed: the value is JSON objects, one a line, each line ending in "\n". */
export const CONTENT_TYPE_NDJSON = 'application/x-ndjson';
/** On packed records: how many events (lines) the value holds, in decimal. */
export const EVENT_COUNT_HEADER = 'logpod-events';
