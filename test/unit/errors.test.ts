import t from 'tap';
import { ErrorCodes, ExitCodes, LogpodError } from '../../src/errors.js';

t.test('bad input exits 2, a runtime failure 1, a missed shutdown deadline 3', async (t) => {
  const exit = (code: (typeof ErrorCodes)[keyof typeof ErrorCodes]) =>
    new LogpodError(code, 'x').exitCode;
  for (const code of ['CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'CONFIG_PARSE', 'USAGE'] as const) {
    t.equal(exit(code), ExitCodes.CONFIG, code);
  }
  t.equal(exit(ErrorCodes.LOG_FORMAT_INVALID), ExitCodes.CONFIG);
  t.equal(exit(ErrorCodes.OUTPUT_WRITE), ExitCodes.FAILURE);
  t.equal(exit(ErrorCodes.KAFKA_TOPIC_MISSING), ExitCodes.FAILURE);
  t.equal(exit(ErrorCodes.SHUTDOWN_TIMEOUT), ExitCodes.SHUTDOWN_TIMEOUT);
});

t.test('every code has a documented exit code', async (t) => {
  const documented = new Set<number>(Object.values(ExitCodes));
  for (const code of Object.values(ErrorCodes)) {
    t.ok(documented.has(new LogpodError(code, 'x').exitCode), code);
  }
});

t.test('code, cause and retryable are kept', async (t) => {
  const cause = new Error('inner');
  const err = new LogpodError(ErrorCodes.KAFKA_UNAVAILABLE, 'outer', { cause, retryable: true });
  t.equal(err.code, 'KAFKA_UNAVAILABLE');
  t.equal(err.cause, cause);
  t.equal(err.retryable, true);
  t.equal(new LogpodError(ErrorCodes.USAGE, 'x').retryable, false, 'not retryable by default');
});
