// kafkajs's own log lines, routed into logpod's logger: its warnings and errors
// only, as warnings, at most one per interval per kafkajs component (an outage
// makes kafkajs log on every attempt), and only fields known to hold no secret.

import kafkajs from 'kafkajs';
import type { LogEntry, logCreator } from 'kafkajs';
import type { Logger } from '../../logger.js';
import { RateLimitedLog } from '../../support/rate-limited-log.js';

const { logLevel } = kafkajs;

/** Fields of kafkajs's log entries that are safe and useful to keep. */
const SAFE_FIELDS = ['broker', 'clientId', 'topic', 'error', 'retryCount', 'retryTime'] as const;

/** Messages that are expected with logpod's settings and say nothing to a user. */
const EXPECTED = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

const MAX_TEXT = 512;

export function kafkajsLogCreator(
  logger: Logger,
  limited = new RateLimitedLog(logger),
): logCreator {
  return () => (entry: LogEntry) => {
    const { namespace, level, log } = entry;
    if (level !== logLevel.ERROR && level !== logLevel.WARN) return;
    const message = clip(String(log.message));
    if (EXPECTED.includes(message)) {
      logger.debug({ kafkajs: namespace }, message);
      return;
    }
    const fields: Record<string, unknown> = { kafkajs: namespace };
    for (const name of SAFE_FIELDS) {
      const value = log[name];
      if (typeof value === 'string') fields[name] = clip(value);
      else if (typeof value === 'number') fields[name] = value;
    }
    // kafkajs reports each failed attempt as an error; the sink decides what is fatal.
    limited.warn(`kafkajs:${namespace}`, fields, `kafka client: ${message}`);
  };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '...' : text;
}
