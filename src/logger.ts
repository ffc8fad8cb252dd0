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
    },
    pino.destination({ fd, sync: true }),
  );
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
