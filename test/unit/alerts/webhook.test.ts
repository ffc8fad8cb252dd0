import t from 'tap';
import { pino } from 'pino';
import { WebhookNotifier } from '../../../src/alerts/webhook.js';
import { startReceiver } from './receiver.js';

function capture() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'trace' }, { write: (l: string) => void lines.push(l) }) };
}

t.test('POSTs JSON with the configured headers', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const { logger } = capture();
  const hook = new WebhookNotifier(
    { url: receiver.url, timeoutMs: 2000, retries: 0, headers: { 'x-team': 'web' } },
    logger,
  );
  hook.send({ status: 'firing', rule: 'errors' });
  await hook.whenIdle();
  t.equal(receiver.received.length, 1);
  const [r] = receiver.received;
  t.equal(r.method, 'POST');
  t.equal(r.path, '/hooks/T000/B000/s3cr3tT0ken');
  t.equal(r.headers['content-type'], 'application/json');
  t.equal(r.headers['x-team'], 'web');
  t.same(r.body, { status: 'firing', rule: 'errors' });
  t.same(hook.stats, { sent: 1, failed: 0, dropped: 0 });
});

t.test('5xx and 429 are retried a bounded number of times; other 4xx are not', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const { logger, lines } = capture();
  const hook = new WebhookNotifier(
    { url: receiver.url, timeoutMs: 2000, retries: 2, headers: {}, backoffMs: 5 },
    logger,
  );
  receiver.script.push(503, 429);
  hook.send({ n: 1 });
  await hook.whenIdle();
  t.equal(receiver.received.length, 3, 'two failures, then delivered');
  t.equal(hook.stats.sent, 1);

  receiver.script.push(500, 500, 500);
  hook.send({ n: 2 });
  await hook.whenIdle();
  t.equal(receiver.received.length, 6, 'first attempt + 2 retries, no more');
  t.equal(hook.stats.failed, 1);

  receiver.script.push(404);
  hook.send({ n: 3 });
  await hook.whenIdle();
  t.equal(receiver.received.length, 7, 'a 404 is not retried');
  t.equal(hook.stats.failed, 2);
  const text = lines.join('\n');
  t.match(text, /alert webhook failed/);
  t.notMatch(text, /s3cr3tT0ken/, 'the secret part of the URL is never logged');
  t.match(text, /http:\/\/127\.0\.0\.1:\d+\/\[redacted\]/);
});

t.test('a receiver that does not answer times out; a dead one is a network error', async (t) => {
  const receiver = await startReceiver();
  const { logger, lines } = capture();
  const hook = new WebhookNotifier(
    { url: receiver.url, timeoutMs: 500, retries: 1, headers: {}, backoffMs: 5 },
    logger,
  );
  receiver.script.push('hang', 'hang');
  hook.send({ n: 1 });
  await hook.whenIdle();
  t.equal(receiver.received.length, 2);
  t.equal(hook.stats.failed, 1);
  t.match(lines.join('\n'), /no answer within 500ms/);
  await receiver.close();

  const dead = new WebhookNotifier(
    { url: receiver.url, timeoutMs: 1000, retries: 1, headers: {}, backoffMs: 5 },
    logger,
  );
  // The notifier's timers never hold the process open: this test does, as the agent would.
  const keepAlive = setInterval(() => {}, 1000);
  dead.send({ n: 2 });
  await dead.whenIdle();
  clearInterval(keepAlive);
  t.equal(dead.stats.failed, 1);
  t.notMatch(lines.join('\n'), /s3cr3tT0ken/);
});

t.test('credentials in the URL become Basic authentication', async (t) => {
  const receiver = await startReceiver('/hook');
  t.teardown(() => receiver.close());
  const url = receiver.url.replace('http://', 'http://alert:p%40ss@');
  const hook = new WebhookNotifier(
    { url, timeoutMs: 2000, retries: 0, headers: {} },
    capture().logger,
  );
  t.equal(hook.target, `${receiver.url.replace('/hook', '')}/[redacted]`);
  hook.send({ n: 1 });
  await hook.whenIdle();
  t.equal(
    receiver.received[0].headers.authorization,
    `Basic ${Buffer.from('alert:p@ss').toString('base64')}`,
  );
});

t.test('the queue is bounded; close() drops what waits', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const hook = new WebhookNotifier(
    { url: receiver.url, timeoutMs: 5000, retries: 0, headers: {}, maxQueue: 2 },
    capture().logger,
  );
  receiver.script.push('hang');
  for (let i = 0; i < 5; i++) hook.send({ i });
  await receiver.waitFor(1);
  t.equal(hook.stats.dropped, 2, 'one in flight, two waiting, two dropped');
  hook.close();
  await hook.whenIdle();
  t.equal(hook.stats.dropped, 4);
  t.equal(receiver.received.length, 1);
  hook.send({ late: true });
  t.equal(receiver.received.length, 1, 'nothing is sent after close');
});
