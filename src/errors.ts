// One error module: every error logpod raises on purpose has a code from this
// list, an optional cause, says whether trying again can help, and carries the
// exit code the process ends with when the error reaches the command line.

/** Process exit codes, documented in the README and in every command's --help. */
export const ExitCodes = {
  OK: 0,
  FAILURE: 1,
  CONFIG: 2,
  SHUTDOWN_TIMEOUT: 3,
  /** `run --once`: a matching file could not be read (permission denied). */
  FILES_UNREADABLE: 4,
  SIGNAL_FORCED: 130,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

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
  KAFKA_TLS_FAILED: 'KAFKA_TLS_FAILED',
  SERVER_LISTEN: 'SERVER_LISTEN',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * The exit code of each error code: bad input (config, flags, a log_format) is 2,
 * nothing was started; everything else is a runtime failure, 1. A new code must
 * be given one here (the type asks for every code).
 */
const EXIT_CODES: Readonly<Record<ErrorCode, ExitCode>> = {
  CONFIG_INVALID: ExitCodes.CONFIG,
  CONFIG_NOT_FOUND: ExitCodes.CONFIG,
  CONFIG_PARSE: ExitCodes.CONFIG,
  USAGE: ExitCodes.CONFIG,
  LOG_FORMAT_INVALID: ExitCodes.CONFIG,
  REGISTRY_CORRUPT: ExitCodes.FAILURE,
  REGISTRY_WRITE: ExitCodes.FAILURE,
  FILE_UNREADABLE: ExitCodes.FAILURE,
  OUTPUT_WRITE: ExitCodes.FAILURE,
  KAFKA_TOPIC_MISSING: ExitCodes.FAILURE,
  KAFKA_UNAVAILABLE: ExitCodes.FAILURE,
  ELASTICSEARCH_UNAVAILABLE: ExitCodes.FAILURE,
  SHUTDOWN_TIMEOUT: ExitCodes.SHUTDOWN_TIMEOUT,
  KAFKA_AUTH_FAILED: ExitCodes.FAILURE,
  KAFKA_TLS_FAILED: ExitCodes.FAILURE,
  SERVER_LISTEN: ExitCodes.FAILURE,
};

export class LogpodError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** What the process exits with when this error ends a command. */
  readonly exitCode: ExitCode;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LogpodError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.exitCode = EXIT_CODES[code];
  }
}

/** The `code` of a Node system error (ENOENT, EACCES, ...), undefined for any other value. */
export function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
