// The Kafka output's retry timing: the shared backoff with the sender's policy.

import type { BackoffPolicy } from '../../support/backoff.js';

export { backoffDelay, type BackoffPolicy } from '../../support/backoff.js';

export const SEND_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };
