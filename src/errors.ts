// One error module: every error logpod raises on purpose has a code from this
// list, an optional cause, and says whether trying again can help.

export const ErrorCodes = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  CONFIG_NOT_FOUND: 'CONFIG_NOT_FOUND',
  CONFIG_PARSE: 'CONFIG_PARSE',
  USAGE: 'USAGE',
  LOG_FORMAT_INVALID: 'LOG_FORMAT_INVALID',
  REGISTRY_CORRUPT: 'REGISTRY_CORRUPT',
  REGISTRY_WRITE: 'REGISTRY_WRITE',
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  OUTPUT_WRITE: 'OUTPUT_WRITE',
  KAFKA_TOPIC_MISSING: 'KAFKA_TOPIC_MISSING',
  KAFKA_UNAVAILABLE: 'KAFKA_UNAVAILABLE',
  ELASTICSEARCH_UNAVAILABLE: 'ELASTICSEARCH_UNAVAILABLE',
  SHUTDOWN_TIMEOUT: 'SHUTDOWN_TIMEOUT',
  KAFKA_AUTH_FAILED: 'KAFKA_AUTH_FAILED',
  SERVER_LISTEN: 'SERVER_LISTEN',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class LogpodError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LogpodError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The `code` of a Node system error (ENOENT, EACCES, ...), undefined for any other value. */
export function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Process exit codes, documented in the README. */
export const ExitCodes = {
  OK: 0,
  FAILURE: 1,
  CONFIG: 2,
  SHUTDOWN_TIMEOUT: 3,
  SIGNAL_FORCED: 130,
} as const;
