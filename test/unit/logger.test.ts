import t from 'tap';
import { serializeError } from '../../src/logger.js';
import { ErrorCodes, LogpodError } from '../../src/errors.js';

t.test('an error is logged with its type, message, stack and cause', async (t) => {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), {
    code: 'ECONNREFUSED',
  });
  const err = new LogpodError(ErrorCodes.OUTPUT_WRITE, 'Kafka refuses the events', {
    cause,
    retryable: true,
  });
  const out = JSON.parse(JSON.stringify(serializeError(err))) as Record<string, unknown>;
  t.equal(out.type, 'LogpodError');
  t.match(out.message, /Kafka refuses the events: connect ECONNREFUSED/, 'causes in the message');
  t.match(out.stack, /caused by: Error: connect ECONNREFUSED/, 'and in the stack');
  t.equal(out.code, 'OUTPUT_WRITE');
  t.equal(out.retryable, true);
});

t.test('request, headers and bodies an HTTP client error carries are not logged', async (t) => {
  const err = Object.assign(new Error('Response Error'), {
    meta: {
      statusCode: 503,
      body: { huge: 'x'.repeat(1000) },
      meta: { request: { params: { headers: { authorization: 'ApiKey c2VjcmV0' } } } },
    },
    options: { redaction: {} },
  });
  const text = JSON.stringify(serializeError(err));
  t.notMatch(text, /c2VjcmV0|authorization|xxxx/);
  const out = JSON.parse(text) as Record<string, unknown>;
  t.equal(out.statusCode, 503, 'the status is kept');
  t.equal(out.message, 'Response Error');
});

t.test('several failures (AggregateError) are each serialized the same way', async (t) => {
  const err = new AggregateError(
    [Object.assign(new Error('a'), { meta: { secret: 'no' } }), new Error('b')],
    'two failed',
  );
  const text = JSON.stringify(serializeError(err));
  t.notMatch(text, /secret/);
  t.match(JSON.parse(text), { aggregateErrors: [{ message: 'a' }, { message: 'b' }] });
});

t.test('a value that is not an error is left as it is', async (t) => {
  t.equal(serializeError('plain'), 'plain');
  t.equal(serializeError(undefined), undefined);
});
