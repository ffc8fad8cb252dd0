// The nginx variables logpod maps to ECS fields, each with a fixed slot number.
// Parsers write raw values into a slot array; the access event builder reads
// them by these numbers. Variables not listed here keep their own name.

export const V_REMOTE_ADDR = 0;
export const V_REMOTE_USER = 1;
export const V_TIME_LOCAL = 2;
export const V_TIME_ISO8601 = 3;
export const V_MSEC = 4;
export const V_REQUEST = 5;
export const V_REQUEST_METHOD = 6;
export const V_REQUEST_URI = 7;
export const V_URI = 8;
export const V_ARGS = 9;
export const V_SERVER_PROTOCOL = 10;
export const V_SCHEME = 11;
export const V_HOST = 12;
export const V_SERVER_NAME = 13;
export const V_STATUS = 14;
export const V_BODY_BYTES_SENT = 15;
export const V_BYTES_SENT = 16;
export const V_REQUEST_LENGTH = 17;
export const V_REQUEST_TIME = 18;
export const V_UPSTREAM_ADDR = 19;
export const V_UPSTREAM_STATUS = 20;
export const V_UPSTREAM_RESPONSE_TIME = 21;
export const V_UPSTREAM_CONNECT_TIME = 22;
export const V_HTTP_REFERER = 23;
export const V_HTTP_USER_AGENT = 24;
export const V_HTTP_X_FORWARDED_FOR = 25;
export const V_CONNECTION = 26;
export const V_PIPE = 27;
export const KNOWN_VARIABLE_COUNT = 28;

/** Variable name (without `$`) to slot number. */
export const KNOWN_VARIABLES: ReadonlyMap<string, number> = new Map([
  ['remote_addr', V_REMOTE_ADDR],
  ['remote_user', V_REMOTE_USER],
  ['time_local', V_TIME_LOCAL],
  ['time_iso8601', V_TIME_ISO8601],
  ['msec', V_MSEC],
  ['request', V_REQUEST],
  ['request_method', V_REQUEST_METHOD],
  ['request_uri', V_REQUEST_URI],
  ['uri', V_URI],
  ['args', V_ARGS],
  ['server_protocol', V_SERVER_PROTOCOL],
  ['scheme', V_SCHEME],
  ['host', V_HOST],
  ['server_name', V_SERVER_NAME],
  ['status', V_STATUS],
  ['body_bytes_sent', V_BODY_BYTES_SENT],
  ['bytes_sent', V_BYTES_SENT],
  ['request_length', V_REQUEST_LENGTH],
  ['request_time', V_REQUEST_TIME],
  ['upstream_addr', V_UPSTREAM_ADDR],
  ['upstream_status', V_UPSTREAM_STATUS],
  ['upstream_response_time', V_UPSTREAM_RESPONSE_TIME],
  ['upstream_connect_time', V_UPSTREAM_CONNECT_TIME],
  ['http_referer', V_HTTP_REFERER],
  ['http_user_agent', V_HTTP_USER_AGENT],
  ['http_x_forwarded_for', V_HTTP_X_FORWARDED_FOR],
  ['connection', V_CONNECTION],
  ['pipe', V_PIPE],
]);

/** How a log_format reads a variable's extent from the line. */
export const SCAN_TEXT = 0; // up to the next occurrence of the following literal
export const SCAN_FIXED = 1; // a fixed number of characters
export const SCAN_LIST = 2; // like TEXT, but ", " and " : " list separators do not end it
export const SCAN_CLASS = 3; // while the characters belong to the value's class (no literal follows)

/** Lists (several upstreams, several proxies) contain spaces between items. */
export function isListVariable(name: string): boolean {
  return name.startsWith('upstream_') || name === 'http_x_forwarded_for';
}
