// The classification table of bulk results: what one item's status means for
// delivery. Settled outcomes (indexed, duplicate, rejected) release offsets and
// acks; `retry` items are sent again, alone, after a backoff.

export type ItemOutcome = 'indexed' | 'duplicate' | 'retry' | 'rejected';

/**
 * 2xx indexed; 409 already there (a replay: `_id = event.id`, op_type create);
 * 429, 5xx, 408 and auth/cluster blocks (401, 403: a configuration or disk
 * problem that fixing makes go away) retried; any other 4xx is the document's
 * own fault (mapping, parse) and rejected to the dead letter.
 */
export function classifyItem(status: number): ItemOutcome {
  if (status >= 200 && status < 300) return 'indexed';
  if (status === 409) return 'duplicate';
  if (status === 429 || status >= 500 || status === 408 || status === 401 || status === 403) {
    return 'retry';
  }
  if (status >= 400) return 'rejected';
  return 'retry';
}

/** What Elasticsearch said about an item it did not index. */
export interface ItemError {
  type: string;
  reason: string;
  status: number;
}

/** The error of a bulk response item, bounded (reasons can quote the document). */
export function itemError(status: number, error: unknown): ItemError {
  const e = (error ?? {}) as { type?: unknown; reason?: unknown; caused_by?: { reason?: unknown } };
  const type = typeof e.type === 'string' ? e.type : 'unknown';
  let reason = typeof e.reason === 'string' ? e.reason : '';
  const cause = e.caused_by?.reason;
  if (typeof cause === 'string' && cause !== reason)
    reason = reason === '' ? cause : `${reason}: ${cause}`;
  if (reason.length > 1000) reason = `${reason.slice(0, 1000)}...`;
  return { type, reason, status };
}
