import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import {
  kafkaClientOptions,
  producerOptions,
  sendSettings,
} from '../../../../src/sinks/kafka/client-options.js';
import { kafkaOutputConfig } from '../../../helpers/config.js';

const { CompressionTypes, Partitioners } = kafkajs;

/** output.kafka as the loader makes it: production defaults, `settings` on top. */
function config(settings: Record<string, unknown> = {}) {
  return kafkaOutputConfig({
    brokers: ['k1:9092', 'k2:9093'],
    topic: 'logs',
    client_id: 'logpod-a',
    ...settings,
  });
}

t.test(
  'client options: brokers, client id, request timeout; no TLS or SASL unless asked',
  async (t) => {
    const options = kafkaClientOptions(config());
    t.same(options, {
      brokers: ['k1:9092', 'k2:9093'],
      clientId: 'logpod-a',
      requestTimeout: 30_000,
    });
    t.notOk('ssl' in options);
    t.notOk('sasl' in options);
  },
);

t.test('SASL mechanisms map to kafkajs mechanisms', async (t) => {
  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    const options = kafkaClientOptions(
      config({ sasl: { mechanism, username: 'agent', password: 's3cret' } }),
    );
    t.same(options.sasl, { mechanism, username: 'agent', password: 's3cret' }, mechanism);
  }
});

t.test('TLS reads the CA, certificate and key files once, with the passphrase', async (t) => {
  const dir = t.testdir();
  const files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  await writeFile(files.ca, 'CA PEM');
  await writeFile(files.cert, 'CERT PEM');
  await writeFile(files.key, 'KEY PEM');
  const options = kafkaClientOptions(
    config({
      tls: {
        enabled: true,
        ca_file: files.ca,
        cert_file: files.cert,
        key_file: files.key,
        key_passphrase: 'pass',
        reject_unauthorized: false,
      },
    }),
  );
  const ssl = options.ssl as Record<string, unknown>;
  t.equal(String(ssl.ca), 'CA PEM');
  t.equal(String(ssl.cert), 'CERT PEM');
  t.equal(String(ssl.key), 'KEY PEM');
  t.equal(ssl.passphrase, 'pass');
  t.equal(ssl.rejectUnauthorized, false);
});

t.test('TLS without files trusts the system CAs and verifies by default', async (t) => {
  const options = kafkaClientOptions(config({ tls: { enabled: true, reject_unauthorized: true } }));
  t.same(options.ssl, { rejectUnauthorized: true });
});

t.test('TLS settings are ignored while TLS is disabled', async (t) => {
  const options = kafkaClientOptions(
    config({ tls: { enabled: false, ca_file: '/nope', reject_unauthorized: true } }),
  );
  t.notOk('ssl' in options);
});

t.test(
  'an unreadable certificate file is a config error naming the option and the file',
  async (t) => {
    const dir = t.testdir();
    const missing = join(dir, 'missing-ca.pem');
    t.throws(
      () =>
        kafkaClientOptions(
          config({ tls: { enabled: true, ca_file: missing, reject_unauthorized: true } }),
        ),
      {
        code: 'CONFIG_INVALID',
        message: /output\.kafka\.tls\.ca_file: cannot read .*missing-ca\.pem \(ENOENT\)/,
      },
    );
  },
);

t.test('send settings: acks, compression, and one send in flight when idempotent', async (t) => {
  t.match(sendSettings(config()), {
    acks: -1,
    compression: CompressionTypes.ZSTD,
    idempotent: true,
    maxInFlight: 1,
  });
  t.match(sendSettings(config({ idempotent: false, acks: 'leader', compression: 'gzip' })), {
    acks: 1,
    compression: CompressionTypes.GZIP,
    idempotent: false,
    maxInFlight: 5,
  });
  t.match(sendSettings(config({ idempotent: false, acks: 'none', compression: 'none' })), {
    acks: 0,
    compression: CompressionTypes.None,
  });
  t.equal(sendSettings(config({ compression: 'snappy' })).compression, CompressionTypes.Snappy);
  t.equal(sendSettings(config({ compression: 'lz4' })).compression, CompressionTypes.LZ4);
  t.equal(
    // The loader refuses this pair; the send settings stay safe without it.
    sendSettings({ ...config(), acks: 'leader' }).idempotent,
    false,
    'idempotence needs acks all',
  );
});

t.test(
  'producer options: idempotence, auto-creation, in-flight, the Java-compatible partitioner',
  async (t) => {
    const c = config({ allow_auto_topic_creation: true });
    const options = producerOptions(c, sendSettings(c));
    t.equal(options.idempotent, true);
    t.equal(options.allowAutoTopicCreation, true);
    t.equal(options.maxInFlightRequests, 1);
    t.equal(options.createPartitioner, Partitioners.DefaultPartitioner);
    t.ok(
      options.retry && options.retry.retries! >= 1,
      'kafkajs retries a little before the sink takes over',
    );
  },
);
