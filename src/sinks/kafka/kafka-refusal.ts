// When Kafka answers but refuses logpod: a topic that does not exist, credentials
// it rejects, permissions it denies, a TLS handshake that fails (unknown CA,
// expired certificate). Unlike an unreachable broker these need an operator,
// yet waiting is still right: the topic can be created, the secret fixed, the
// certificate renewed, and a sidecar that exits takes its pod down with it. So
// each becomes a LogpodError with a code naming the cause, retried with backoff,
// and the current refusal is reported (/status, /readyz, logpod_kafka_refused).

import { ErrorCodes, LogpodError, type ErrorCode } from '../../errors.js';
import { classifyKafkaError, rootMessage } from './kafka-errors.js';

export const KAFKA_REFUSAL_REASONS = [
  'topic_missing',
  'auth_failed',
  'not_authorized',
  'tls_failed',
] as const;

export type KafkaRefusalReason = (typeof KAFKA_REFUSAL_REASONS)[number];

/** What /status shows while Kafka refuses. */
export interface KafkaRefusal {
  reason: KafkaRefusalReason;
  code: ErrorCode;
  message: string;
  /** Epoch ms of the first refusal of this kind in a row. */
  since: number;
}

const CODE_OF: Readonly<Record<KafkaRefusalReason, ErrorCode>> = {
  topic_missing: ErrorCodes.KAFKA_TOPIC_MISSING,
  auth_failed: ErrorCodes.KAFKA_AUTH_FAILED,
  not_authorized: ErrorCodes.KAFKA_AUTH_FAILED,
  tls_failed: ErrorCodes.KAFKA_TLS_FAILED,
};

// Node's certificate verification codes (X509_V_ERR_* names) and OpenSSL's ERR_SSL_*.
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function tlsCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_'))) {
      return code;
    }
  }
  return undefined;
}

/** The refusal an error stands for, or undefined (unreachable, timeouts: plain waiting). */
export function refusalReason(err: unknown): KafkaRefusalReason | undefined {
  if (tlsCode(err) !== undefined) return 'tls_failed';
  switch (classifyKafkaError(err)) {
    case 'auth-failed':
      return 'auth_failed';
    case 'not-authorized':
      return 'not_authorized';
  }
  if (!(err instanceof LogpodError)) return undefined;
  switch (err.code) {
    case ErrorCodes.KAFKA_TOPIC_MISSING:
      return 'topic_missing';
    case ErrorCodes.KAFKA_AUTH_FAILED:
      return 'auth_failed';
    case ErrorCodes.KAFKA_TLS_FAILED:
      return 'tls_failed';
    default:
      return undefined;
  }
}

/**
 * A kafkajs error turned into logpod's: KAFKA_AUTH_FAILED or KAFKA_TLS_FAILED with a message
 * saying which setting to look at; retryable (the sender waits and tries again). Other errors
 * come back as they are.
 */
export function explainRefusal(err: unknown, brokers: string): unknown {
  if (err instanceof LogpodError) return err;
  const code = tlsCode(err);
  if (code !== undefined) {
    return new LogpodError(
      ErrorCodes.KAFKA_TLS_FAILED,
      `TLS with Kafka at ${brokers} failed (${code}): ${rootMessage(err)}; check ` +
        "output.kafka.tls.ca_file (the CA that signed the brokers' certificates) and that " +
        'their certificates are valid',
      { cause: err, retryable: true },
    );
  }
  switch (classifyKafkaError(err)) {
    case 'auth-failed':
      return new LogpodError(
        ErrorCodes.KAFKA_AUTH_FAILED,
        `Kafka at ${brokers} refused logpod's credentials (SASL authentication failed; check ` +
          `output.kafka.sasl mechanism, username and password): ${rootMessage(err)}`,
        { cause: err, retryable: true },
      );
    case 'not-authorized':
      return new LogpodError(
        ErrorCodes.KAFKA_AUTH_FAILED,
        `Kafka at ${brokers} denied access (ACLs for logpod's user): ${rootMessage(err)}`,
        { cause: err, retryable: true },
      );
    default:
      return err;
  }
}

/**
 * The current refusal, kept across retries: `since` stays that of the first refusal of the
 * same kind; a success clears it. `onChange` hears each start, change and end (for logging).
 */
export class RefusalTracker {
  private current: KafkaRefusal | undefined;

  constructor(
    private readonly onChange: (
      now: KafkaRefusal | undefined,
      was: KafkaRefusal | undefined,
    ) => void,
  ) {}

  get refusal(): KafkaRefusal | undefined {
    return this.current;
  }

  /** Records a failure; returns true when it was a refusal. */
  failed(err: unknown, now = Date.now()): boolean {
    const reason = refusalReason(err);
    if (reason === undefined) return false;
    const was = this.current;
    const message = err instanceof Error ? err.message : String(err);
    if (was?.reason === reason) {
      this.current = { ...was, message };
      return true;
    }
    this.current = { reason, code: CODE_OF[reason], message, since: now };
    this.onChange(this.current, was);
    return true;
  }

  succeeded(): void {
    const was = this.current;
    if (was === undefined) return;
    this.current = undefined;
    this.onChange(undefined, was);
  }
}
