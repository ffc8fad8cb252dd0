import t from 'tap';
import kafkajs from 'kafkajs';
import { classifyKafkaError, rootMessage } from '../../../../src/sinks/kafka/kafka-errors.js';

// kafkajs's type declarations lag its constructors (which take a cause); build errors as kafkajs does.
type AnyError = new (...args: unknown[]) => Error;
const errors = kafkajs as unknown as Record<string, AnyError>;
const KafkaJSProtocolError = errors.KafkaJSProtocolError;
const KafkaJSNumberOfRetriesExceeded = errors.KafkaJSNumberOfRetriesExceeded;
const KafkaJSNonRetriableError = errors.KafkaJSNonRetriableError;
const KafkaJSConnectionError = errors.KafkaJSConnectionError;
const KafkaJSSASLAuthenticationError = errors.KafkaJSSASLAuthenticationError;
const KafkaJSRequestTimeoutError = errors.KafkaJSRequestTimeoutError;

const protocol = (type: string, retriable = false) =>
  new KafkaJSProtocolError({
    message: `broker says ${type}`,
    type,
    code: 0,
    retriable,
  } as unknown as Error);

t.test('the protocol error decides, even wrapped by kafkajs retries', async (t) => {
  t.equal(classifyKafkaError(protocol('MESSAGE_TOO_LARGE')), 'too-large');
  t.equal(classifyKafkaError(protocol('RECORD_LIST_TOO_LARGE')), 'too-large');
  t.equal(classifyKafkaError(protocol('UNKNOWN_TOPIC_OR_PARTITION', true)), 'topic-unknown');
  const wrapped = new KafkaJSNumberOfRetriesExceeded(protocol('UNKNOWN_TOPIC_OR_PARTITION', true), {
    retryCount: 3,
    retryTime: 100,
  });
  t.equal(classifyKafkaError(wrapped), 'topic-unknown');
  const nonRetriable = new KafkaJSNonRetriableError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER'), {
    cause: protocol('OUT_OF_ORDER_SEQUENCE_NUMBER'),
  });
  t.equal(classifyKafkaError(nonRetriable), 'reset-producer');
  t.equal(classifyKafkaError(protocol('UNKNOWN_PRODUCER_ID')), 'reset-producer');
  t.equal(classifyKafkaError(protocol('INVALID_PRODUCER_EPOCH')), 'reset-producer');
});

t.test('what waiting cannot fix is fatal; permissions and outages are waited for', async (t) => {
  for (const type of [
    'INVALID_TOPIC_EXCEPTION',
    'UNSUPPORTED_COMPRESSION_TYPE',
    'INVALID_REQUIRED_ACKS',
    'INVALID_RECORD',
  ]) {
    t.equal(classifyKafkaError(protocol(type)), 'fatal', type);
  }
  t.equal(classifyKafkaError(protocol('TOPIC_AUTHORIZATION_FAILED')), 'not-authorized');
  t.equal(classifyKafkaError(protocol('NOT_LEADER_FOR_PARTITION', true)), 'retry');
  t.equal(classifyKafkaError(protocol('NOT_ENOUGH_REPLICAS', true)), 'retry');
  t.equal(
    classifyKafkaError(new KafkaJSConnectionError('connect ECONNREFUSED 127.0.0.1:9092')),
    'retry',
  );
  t.equal(
    classifyKafkaError(
      new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out'),
    ),
    'retry',
  );
  t.equal(classifyKafkaError(new Error('something odd')), 'retry');
});

t.test('SASL failures and programming errors are recognised through wrapping', async (t) => {
  t.equal(
    classifyKafkaError(
      new KafkaJSSASLAuthenticationError('SASL SCRAM SHA256 authentication failed'),
    ),
    'auth-failed',
  );
  const typeError = new TypeError('cannot read properties of undefined');
  t.equal(
    classifyKafkaError(new KafkaJSNonRetriableError(typeError, { cause: typeError })),
    'fatal',
  );
});

t.test('the root message is the innermost one', async (t) => {
  const inner = new KafkaJSConnectionError(
    'Connection error: connect ECONNREFUSED 127.0.0.1:19092',
  );
  const outer = new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 3, retryTime: 10 });
  t.equal(rootMessage(outer), 'Connection error: connect ECONNREFUSED 127.0.0.1:19092');
  t.equal(rootMessage('plain'), 'plain');
});
