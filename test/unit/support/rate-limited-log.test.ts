import t from 'tap';
import { RateLimitedLog } from '../../../src/support/rate-limited-log.js';
import type { Logger } from '../../../src/logger.js';

function recordingLogger() {
  const calls: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) =>
      calls.push({ level: 'warn', fields, message }),
    error: (fields: Record<string, unknown>, message: string) =>
      calls.push({ level: 'error', fields, message }),
  } as unknown as Logger;
  return { logger, calls };
}

t.test(
  'a repeated warning is logged once per interval, then with the count held back',
  async (t) => {
    let now = 0;
    const { logger, calls } = recordingLogger();
    const log = new RateLimitedLog(logger, 1000, () => now);
    for (let i = 0; i < 5; i++) log.warn('kafka', { broker: 'b' }, 'kafka unreachable');
    t.equal(calls.length, 1);
    now = 1500;
    log.warn('kafka', { broker: 'b' }, 'kafka unreachable');
    t.equal(calls.length, 2);
    t.same(calls[1].fields, { broker: 'b', suppressed: 4 });
  },
);

t.test('different keys are limited separately', async (t) => {
  const { logger, calls } = recordingLogger();
  const log = new RateLimitedLog(logger, 1000, () => 0);
  log.warn('a', {}, 'first');
  log.error('b', {}, 'second');
  log.warn('a', {}, 'first again');
  t.same(
    calls.map((c) => c.message),
    ['first', 'second'],
  );
});
