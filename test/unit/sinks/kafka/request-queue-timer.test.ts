import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { installedSchedule } from '../../../../src/sinks/kafka/request-queue-timer.js';

const require = createRequire(import.meta.url);
const QUEUE_MODULE = 'kafkajs/src/network/requestQueue/index.js';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
const RequestQueue = require(QUEUE_MODULE) as new (options: object) => Queue;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function newQueue(): Queue {
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9',
    logger: silent,
  });
}

/** Counts the queue's checks for `ms`, then stops its timer. */
async function countChecks(queue: Queue, ms: number): Promise<number[]> {
  const started = Date.now();
  const at: number[] = [];
  const check = queue.checkPendingRequests.bind(queue);
  queue.checkPendingRequests = () => {
    at.push(Date.now() - started);
    check();
  };
  queue.checkPendingRequests();
  await new Promise((resolve) => setTimeout(resolve, ms));
  queue.scheduleCheckPendingRequests = () => {};
  if (queue.throttleCheckTimeoutId) clearTimeout(queue.throttleCheckTimeoutId);
  return at;
}

t.test('kafkajs as released warns on this Node (what the fix is for)', async (t) => {
  const script = `
    const Q = require(${JSON.stringify(require.resolve(QUEUE_MODULE))});
    const q = new Q({ maxInFlightRequests: 1, requestTimeout: 1000, clientId: 'c', broker: 'b',
      logger: { debug() {} } });
    q.checkPendingRequests();
    setTimeout(() => process.exit(0), 20);`;
  // Plain node: without the test runner's loader options.
  const run = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  t.equal(run.status, 0);
  t.match(run.stderr, /TimeoutNegativeWarning/, 'the unpatched queue prints the warning');
});

t.test('importing the module installs its schedule in kafkajs', async (t) => {
  t.equal(RequestQueue.prototype.scheduleCheckPendingRequests, installedSchedule);
});

t.test('an idle queue: no warning, checks run as before (every 1 ms)', async (t) => {
  const warnings: Error[] = [];
  // Node's timer warnings: TimeoutNegativeWarning, TimeoutOverflowWarning, TimeoutNaNWarning.
  const onWarning = (w: Error) => {
    if (w.name.startsWith('Timeout')) warnings.push(w);
  };
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  const at = await countChecks(newQueue(), 60);
  // Give a warning emitted on the last tick the chance to arrive.
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    warnings.map((w) => w.name),
    [],
    'no timer warning',
  );
  t.ok(at.length >= 3, `the check re-arms itself (${at.length} checks in 60 ms)`);
});

t.test('requests waiting: the next check comes after 10 ms, as in kafkajs', async (t) => {
  const queue = newQueue();
  queue.pending.push({});
  // Nothing can be sent (checkPendingRequests' loop asks canSendSocketRequestImmediately).
  (
    queue as unknown as { canSendSocketRequestImmediately(): boolean }
  ).canSendSocketRequestImmediately = () => false;
  const at = await countChecks(queue, 55);
  t.ok(at.length >= 2, `${at.length} checks in 55 ms`);
  for (let i = 1; i < at.length; i++) t.ok(at[i] - at[i - 1] >= 9, `gap ${at[i] - at[i - 1]} ms`);
});

t.test('throttled by the broker: the check waits for the throttle to end', async (t) => {
  const queue = newQueue();
  queue.pending.push({});
  (
    queue as unknown as { canSendSocketRequestImmediately(): boolean }
  ).canSendSocketRequestImmediately = () => false;
  queue.throttledUntil = Date.now() + 40;
  queue.scheduleCheckPendingRequests();
  const started = Date.now();
  let ranAt = -1;
  queue.checkPendingRequests = () => {
    ranAt = Date.now() - started;
  };
  await new Promise((resolve) => setTimeout(resolve, 70));
  t.ok(ranAt >= 35, `checked after the throttle, at ${ranAt} ms`);
});
