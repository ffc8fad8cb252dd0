// What a kafkajs failure means for the sink, as one table: wait and send again
// (the default: brokers down, leaders moving, timeouts), halve the request,
// start a new producer id, re-check the topic, or stop because waiting cannot
// fix it. kafkajs wraps errors (retries exhausted, non-retriable), so the
// protocol error is looked for along the `cause` chain.

export type KafkaFailure =
  | 'retry'
  | 'too-large'
  | 'topic-unknown'
  | 'reset-producer'
  | 'not-authorized'
  | 'auth-failed'
  | 'fatal';

const BY_PROTOCOL_TYPE: Readonly<Record<string, KafkaFailure>> = {
  MESSAGE_TOO_LARGE: 'too-large',
  RECORD_LIST_TOO_LARGE: 'too-large',
  UNKNOWN_TOPIC_OR_PARTITION: 'topic-unknown',
  // The broker lost or refused this producer's id or sequence: a new id starts clean.
  OUT_OF_ORDER_SEQUENCE_NUMBER: 'reset-producer',
  DUPLICATE_SEQUENCE_NUMBER: 'reset-producer',
  UNKNOWN_PRODUCER_ID: 'reset-producer',
  INVALID_PRODUCER_EPOCH: 'reset-producer',
  INVALID_PRODUCER_ID_MAPPING: 'reset-producer',
  // Permissions can be granted while the agent waits.
  TOPIC_AUTHORIZATION_FAILED: 'not-authorized',
  CLUSTER_AUTHORIZATION_FAILED: 'not-authorized',
  SASL_AUTHENTICATION_FAILED: 'auth-failed',
  // A setting or a record the broker will never take.
  INVALID_TOPIC_EXCEPTION: 'fatal',
  INVALID_REQUIRED_ACKS: 'fatal',
  UNSUPPORTED_COMPRESSION_TYPE: 'fatal',
  UNSUPPORTED_VERSION: 'fatal',
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 'fatal',
  INVALID_RECORD: 'fatal',
  POLICY_VIOLATION: 'fatal',
};

const BY_NAME: Readonly<Record<string, KafkaFailure>> = {
  KafkaJSSASLAuthenticationError: 'auth-failed',
  // A compression codec kafkajs does not have.
  KafkaJSNotImplemented: 'fatal',
  KafkaJSServerDoesNotSupportApiKey: 'fatal',
  // Programming errors: retrying would hide them.
  TypeError: 'fatal',
  RangeError: 'fatal',
  ReferenceError: 'fatal',
  SyntaxError: 'fatal',
};

export function classifyKafkaError(err: unknown): KafkaFailure {
  let byName: KafkaFailure | undefined;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && BY_PROTOCOL_TYPE[type] !== undefined)
      return BY_PROTOCOL_TYPE[type];
    byName ??= BY_NAME[e.name];
  }
  return byName ?? 'retry';
}

/** The innermost message of a kafkajs error chain: what the broker or socket said. */
export function rootMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e.message) message = e.message;
  }
  return message;
}
