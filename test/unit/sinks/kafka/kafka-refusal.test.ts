import t from 'tap';
import kafkajs from 'kafkajs';
import { LogpodError } from '../../../../src/errors.js';
import {
  explainRefusal,
  RefusalTracker,
  refusalReason,
  type KafkaRefusal,
} from '../../../../src/sinks/kafka/kafka-refusal.js';
import { MetricsRegistry } from '../../../../src/metrics/metrics.js';
import { KAFKA_REFUSAL_REASONS } from '../../../../src/sinks/kafka/index.js';

// kafkajs's type declarations lag its constructors; build errors as kafkajs does.
type AnyError = new (...args: unknown[]) => Error;
const errors = kafkajs as unknown as Record<string, AnyError>;

const tlsFailure = (code: string, message: string) =>
  new errors.KafkaJSNumberOfRetriesExceeded(
    new errors.KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'b:9093', code }),
    { retryCount: 3, retryTime: 100 },
  );
const saslFailure = () =>
  new errors.KafkaJSSASLAuthenticationError(
    'SASL SCRAM SHA512 authentication failed: invalid credentials',
  );

t.test('each refusal is told apart from an outage', async (t) => {
  t.equal(refusalReason(tlsFailure('CERT_HAS_EXPIRED', 'certificate has expired')), 'tls_failed');
  t.equal(
    refusalReason(tlsFailure('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in chain')),
    'tls_failed',
  );
  t.equal(refusalReason(tlsFailure('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version')), 'tls_failed');
  t.equal(refusalReason(saslFailure()), 'auth_failed');
  t.equal(
    refusalReason(new LogpodError('KAFKA_TOPIC_MISSING', 'topic "x" does not exist')),
    'topic_missing',
  );
  t.equal(refusalReason(tlsFailure('ECONNREFUSED', 'connect ECONNREFUSED')), undefined, 'down');
  t.equal(refusalReason(new Error('Request timed out')), undefined, 'slow');
});

t.test('kafkajs errors become logpod codes that name the cause and are retried', async (t) => {
  const tls = explainRefusal(tlsFailure('CERT_HAS_EXPIRED', 'certificate has expired'), 'b:9093');
  t.match(tls, { code: 'KAFKA_TLS_FAILED', retryable: true });
  t.match((tls as Error).message, /CERT_HAS_EXPIRED/);
  t.match((tls as Error).message, /tls\.ca_file/, 'says where to look');
  const auth = explainRefusal(saslFailure(), 'b:9093');
  t.match(auth, { code: 'KAFKA_AUTH_FAILED', retryable: true });
  t.match((auth as Error).message, /SASL authentication failed/);
  t.match((auth as Error).message, /output\.kafka\.sasl/);
  const down = new Error('connect ECONNREFUSED');
  t.equal(explainRefusal(down, 'b:9093'), down, 'an outage stays as it is');
});

t.test('the tracker keeps since across retries and reports starts, changes, ends', async (t) => {
  const heard: [KafkaRefusal | undefined, KafkaRefusal | undefined][] = [];
  const tracker = new RefusalTracker((now, was) => heard.push([now, was]));
  t.equal(tracker.failed(new Error('ECONNREFUSED'), 1), false, 'an outage is no refusal');
  t.equal(tracker.failed(explainRefusal(saslFailure(), 'b'), 10), true);
  t.equal(tracker.failed(explainRefusal(saslFailure(), 'b'), 20), true);
  t.match(tracker.refusal, { reason: 'auth_failed', code: 'KAFKA_AUTH_FAILED', since: 10 });
  t.equal(heard.length, 1, 'a repeat is not news');
  tracker.failed(explainRefusal(tlsFailure('CERT_HAS_EXPIRED', 'expired'), 'b'), 30);
  t.match(tracker.refusal, { reason: 'tls_failed', since: 30 }, 'a new cause starts anew');
  tracker.succeeded();
  t.equal(tracker.refusal, undefined);
  t.equal(heard.length, 3);
  t.equal(heard[2][0], undefined, 'the end is reported');
  t.match(heard[2][1], { reason: 'tls_failed' });
});

t.test('logpod_kafka_refused is 1 for the current reason, 0 for the others', async (t) => {
  const metrics = new MetricsRegistry({ defaultMetrics: false });
  const now: { reason?: string } = {};
  metrics.bindKafkaRefusal(KAFKA_REFUSAL_REASONS, () => now.reason);
  const text = () => metrics.render();
  t.match(await text(), 'logpod_kafka_refused{reason="topic_missing"} 0');
  now.reason = 'topic_missing';
  t.match(await text(), 'logpod_kafka_refused{reason="topic_missing"} 1');
  t.match(await text(), 'logpod_kafka_refused{reason="tls_failed"} 0');
});
