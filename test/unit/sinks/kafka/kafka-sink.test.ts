// The sink with no broker to talk to (a closed local port): it starts anyway,
// buffers up to its bound, then holds write() pending; close() lets go of the
// waiting writes without acknowledging anything; secrets stay out of the logs.

import t from 'tap';
import { createServer } from 'node:net';
import { pino } from 'pino';
import type { EventBatch } from '../../../../src/pipeline/batch.js';
import { KafkaSink } from '../../../../src/sinks/kafka/index.js';
import { kafkaOutputConfig } from '../../../helpers/config.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** output.kafka as the loader makes it: production defaults, small batches, short waits. */
function config(port: number, settings: Record<string, unknown> = {}) {
  return kafkaOutputConfig({
    brokers: [`127.0.0.1:${port}`],
    topic: 'logs',
    client_id: 'logpod-unit',
    // The single-event record path; packing has tests of its own.
    packing: 'none',
    batch_bytes: 1024,
    linger: 5,
    request_timeout: 1_000,
    sasl: { mechanism: 'scram-sha-512', username: 'agent', password: 'do-not-log-me' },
    ...settings,
  });
}

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (l: string) => void lines.push(l) });
  return { logger, lines };
}

function batch(n: number, acks: number[]): EventBatch {
  const events = Array.from({ length: 10 }, (_, i) => ({
    event: { original: `line ${n}.${i} `.padEnd(60, 'x') },
  }));
  return {
    events,
    bytes: 600,
    origin: { inputId: 'web', sourceId: 'file-1', format: 'main' },
    ack: () => acks.push(n),
  };
}

t.test(
  'Kafka unreachable: start warns, writes stop at the buffer bound, close releases them',
  async (t) => {
    const { logger, lines } = capture();
    const sink = new KafkaSink(config(await closedPort()), logger, { maxBufferedBytes: 4096 });
    await sink.start();
    t.ok(
      lines.some((l) => l.includes('cannot reach Kafka yet')),
      'start warns and goes on',
    );

    const acks: number[] = [];
    let accepted = 0;
    const writes: Promise<void>[] = [];
    for (let n = 0; n < 20; n++)
      writes.push(sink.write(batch(n, acks)).then(() => void accepted++));
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.ok(
      accepted > 0 && accepted < 20,
      `some writes taken (${accepted}), the rest wait: backpressure`,
    );
    t.ok(sink.stats.bufferedBytes <= 4096, `buffer within its bound (${sink.stats.bufferedBytes})`);

    await sink.close();
    await Promise.all(writes);
    t.same(acks, [], 'nothing acknowledged');
    await t.rejects(sink.write(batch(99, acks)), { code: 'OUTPUT_WRITE', message: /closed/ });
    t.notMatch(lines.join('\n'), 'do-not-log-me', 'the SASL password is never logged');
  },
);

t.test('a templated topic with a batch that has no origin is refused clearly', async (t) => {
  const { logger } = capture();
  const sink = new KafkaSink(config(await closedPort(), { topic: 'logs-{{format}}' }), logger);
  t.teardown(() => sink.close());
  await t.rejects(sink.write({ events: [], bytes: 0, ack: () => {} }), {
    code: 'OUTPUT_WRITE',
    message: /logs-\{\{format\}\}/,
  });
});
