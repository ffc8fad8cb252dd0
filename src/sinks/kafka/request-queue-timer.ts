// kafkajs 2.2.4 (its last release) schedules its pending-request check with
// `setTimeout(check, throttledUntil - Date.now())`; unthrottled, throttledUntil
// is -1, so the delay is minus the epoch. Node has always run such a timer
// after 1 ms; since Node 24 it also prints a TimeoutNegativeWarning to stderr.
// Importing this module replaces that one method of kafkajs's RequestQueue
// with the same schedule, the delay raised to the 1 ms Node used anyway: no
// warning, no change in when anything runs. (Upstream never released a fix;
// kafkajs has no `exports` map, so its source file can be required directly.)

import { createRequire } from 'node:module';

/** The fields of kafkajs's internal RequestQueue the schedule reads and writes. */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL: the retry delay while requests wait. */
const CHECK_PENDING_REQUESTS_MS = 10;
/** What Node turns a delay below 1 ms into. */
const NODE_MIN_DELAY_MS = 1;

const require = createRequire(import.meta.url);
const { prototype } = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: RequestQueue;
};

/**
 * kafkajs's schedule: when requests wait, check again once the throttle ends
 * (or in 10 ms); else at the throttle's end, which unthrottled is "now".
 */
function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.throttleCheckTimeoutId) return;
  let delay = this.throttledUntil - Date.now();
  if (this.pending.length > 0 && delay <= 0) delay = CHECK_PENDING_REQUESTS_MS;
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    Math.max(delay, NODE_MIN_DELAY_MS),
  );
}

prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;

/** The method now in kafkajs's RequestQueue, for a test to check the replacement took. */
export const installedSchedule = scheduleCheckPendingRequests;
