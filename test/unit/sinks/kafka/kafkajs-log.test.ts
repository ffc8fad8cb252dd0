import t from 'tap';
import kafkajs from 'kafkajs';
import { pino } from 'pino';
import { kafkajsLogCreator } from '../../../../src/sinks/kafka/kafkajs-log.js';
import { RateLimitedLog } from '../../../../src/support/rate-limited-log.js';

const { logLevel } = kafkajs;

function setup(now = () => 0) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const log = kafkajsLogCreator(logger, new RateLimitedLog(logger, 30_000, now))(logLevel.WARN);
  const entry = (
    level: number,
    namespace: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) => log({ namespace, level, label: 'X', log: { timestamp: 'now', message, ...extra } });
  return { lines, entry };
}

t.test(
  'kafkajs errors and warnings become logpod warnings; info and debug are dropped',
  async (t) => {
    const { lines, entry } = setup();
    entry(logLevel.INFO, 'Producer', 'connected');
    entry(logLevel.DEBUG, 'Connection', 'request');
    entry(logLevel.ERROR, 'Connection', 'Connection error: ECONNREFUSED', {
      broker: 'k1:9092',
      retryCount: 2,
    });
    entry(logLevel.WARN, 'Cluster', 'metadata is stale');
    t.equal(lines.length, 2);
    t.match(lines[0], {
      level: 40,
      kafkajs: 'Connection',
      broker: 'k1:9092',
      retryCount: 2,
      msg: /Connection error/,
    });
    t.match(lines[1], { level: 40, kafkajs: 'Cluster' });
  },
);

t.test('only known fields are kept: credentials in a log entry never reach the log', async (t) => {
  const { lines, entry } = setup();
  entry(logLevel.ERROR, 'SASLAuthenticator', 'SASL PLAIN authentication failed', {
    broker: 'k1:9093',
    sasl: { mechanism: 'plain', username: 'agent', password: 'hunter2' },
    password: 'hunter2',
    request: { authBytes: 'agent\u0000hunter2' },
    ssl: { key: 'PRIVATE KEY' },
  });
  const text = JSON.stringify(lines);
  t.notMatch(text, 'hunter2');
  t.notMatch(text, 'PRIVATE KEY');
  t.match(lines[0], { broker: 'k1:9093', msg: /authentication failed/ });
});

t.test('one line per kafkajs component per interval during an outage', async (t) => {
  let clock = 0;
  const { lines, entry } = setup(() => clock);
  for (let i = 0; i < 100; i++) {
    entry(logLevel.ERROR, 'Connection', `Connection error ${i}`);
    entry(logLevel.ERROR, 'BrokerPool', `Failed to connect ${i}`);
    clock += 100;
  }
  t.equal(lines.length, 2, '10 s of failures: one line each');
  clock += 30_000;
  entry(logLevel.ERROR, 'Connection', 'Connection error again');
  t.equal(lines.length, 3);
  t.match(lines[2], { suppressed: 99 }, 'says how many were held back');
});

t.test('an expected kafkajs notice about logpod settings is only a debug line', async (t) => {
  const { lines, entry } = setup();
  entry(
    logLevel.WARN,
    'Producer',
    'Limiting retries for the idempotent producer may invalidate EoS guarantees',
  );
  t.equal(lines.length, 1);
  t.equal(lines[0].level, 20);
});

t.test('long messages are clipped', async (t) => {
  const { lines, entry } = setup();
  entry(logLevel.WARN, 'X', 'y'.repeat(10_000), { error: 'z'.repeat(10_000) });
  t.ok(String(lines[0].msg).length < 1_000);
  t.ok(String(lines[0].error).length < 1_000);
});
