// logpod's own logs: pino JSON lines. They go to stdout (the container's log
// stream) unless events are being written to stdout, then to stderr. Nothing
// is logged per event; repeated warnings go through RateLimitedLog.

import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { name: 'logpod' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
    },
    pino.destination({ fd, sync: true }),
  );
}

/**
 * How `{ err }` is logged: pino's serializer (type; message and stack with every cause),
 * but of the error's other own properties only plain values (code, retryable, status...).
 * An HTTP client's error carries its request, credentials in the headers, and the
 * response body; a Kafka error its broker state: none of it belongs in a log line.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown;
  if (out === err || out === null || typeof out !== 'object') return out;
  const fields = out as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === null || typeof value !== 'object') continue;
    if (key === 'aggregateErrors') {
      fields[key] = ((err as AggregateError).errors ?? []).map(serializeError);
    } else if (typeof (value as { message?: unknown }).message === 'string') {
      const nested = value as { type?: unknown; message: string };
      fields[key] = { type: nested.type, message: nested.message };
    } else {
      delete fields[key];
    }
  }
  const status = (err as { meta?: { statusCode?: unknown } }).meta?.statusCode;
  if (typeof status === 'number') fields.statusCode = status;
  return out;
}

/** The level from LOGPOD_LOG_LEVEL when set and valid, else the configured one. */
export function effectiveLogLevel(
  configured: LogLevel,
  env: NodeJS.ProcessEnv = process.env,
): LogLevel {
  const fromEnv = env.LOGPOD_LOG_LEVEL?.trim().toLowerCase();
  return fromEnv && (LOG_LEVELS as readonly string[]).includes(fromEnv)
    ? (fromEnv as LogLevel)
    : configured;
}
