// How long to wait before sending again after a failed send: exponential,
// capped, with jitter, so agents that lost the same broker do not all come
// back at the same instant.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const SEND_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

/** The delay before retry number `attempt` (0 for the first): between half and all of the capped exponential. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
