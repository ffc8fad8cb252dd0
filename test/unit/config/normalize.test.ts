import os from 'node:os';
import t from 'tap';
import { configFileTree, normalizeConfig } from '../../../src/config/normalize.js';

t.test('every missing key takes its default, in ms and bytes', async (t) => {
  const config = normalizeConfig({
    inputs: [{ paths: ['/var/log/nginx/access.log'] }],
    output: { stdout: {} },
  });
  t.same(config, {
    data_dir: '/var/lib/logpod',
    inputs: [
      {
        type: 'file',
        id: 'input-0',
        paths: ['/var/log/nginx/access.log'],
        exclude: [],
        format: 'main',
        timezone: '+00:00',
        start_at: 'end',
        fingerprint_bytes: 1024,
        max_line_bytes: 1024 * 1024,
        read_buffer_bytes: 64 * 1024,
        partial_line_timeout: 5000,
        rescan_interval: 10_000,
        close_inactive: 300_000,
        close_renamed: 30_000,
        max_open_files: 256,
        follow_symlinks: false,
        fields: {},
        tags: [],
      },
    ],
    registry: { flush_interval: 1000, clean_after: 86_400_000 },
    pipeline: {
      batch_max_events: 2048,
      batch_max_bytes: 1024 * 1024,
      batch_max_wait: 200,
      max_in_flight_events: 65536,
      max_in_flight_bytes: 32 * 1024 * 1024,
    },
    output: { kind: 'stdout' },
    server: {
      enabled: true,
      listen: '127.0.0.1:8686',
      allowed_hosts: [],
      auth: { token_file: '', token_env: '' },
      show_query_strings: false,
      mask_client_ips: false,
    },
    logging: { level: 'info' },
    shutdown: { timeout: 25_000 },
    host_name: os.hostname(),
    enrich: {
      geoip: {
        enabled: true,
        database: '',
        database_ipv6: '',
        asn_database: '',
        ipv6: true,
        cache_size: 10000,
      },
      user_agent: { enabled: true, cache_size: 10000 },
      trusted_proxies: [],
      kubernetes: {
        enabled: true,
        pod_name_env: 'POD_NAME',
        namespace_env: 'POD_NAMESPACE',
        node_name_env: 'NODE_NAME',
        container_name_env: 'CONTAINER_NAME',
        labels_file: '/etc/podinfo/labels',
      },
    },
    alerts: { rules: [], cooldown: 600_000, send_resolved: true },
  });
});

t.test('user values are kept, units converted', async (t) => {
  const config = normalizeConfig({
    inputs: [
      {
        paths: ['a'],
        id: 'web',
        max_line_bytes: '16KiB',
        close_inactive: '2m',
        fingerprint_bytes: '1KB',
      },
      { paths: ['b'], log_format: '$remote_addr $status', tags: ['edge'] },
    ],
    output: { file: { path: './out.ndjson' } },
    registry: { clean_after: '7d' },
    host_name: 'node-1',
  });
  t.equal(config.inputs[0].id, 'web');
  t.equal(config.inputs[0].max_line_bytes, 16384);
  t.equal(config.inputs[0].close_inactive, 120_000);
  t.equal(config.inputs[0].fingerprint_bytes, 1000);
  t.equal(config.inputs[0].log_format, undefined);
  t.equal(config.inputs[1].id, 'input-1');
  t.equal(config.inputs[1].format, 'custom');
  t.equal(config.inputs[1].log_format, '$remote_addr $status');
  t.same(config.inputs[1].tags, ['edge']);
  t.same(config.output, { kind: 'file', path: './out.ndjson', fsync: true });
  t.equal(config.registry.clean_after, 7 * 86_400_000);
  t.equal(config.host_name, 'node-1');
});

t.test('kafka: defaults, brokers split on commas, optional sasl and tls files', async (t) => {
  const config = normalizeConfig({
    inputs: [{ paths: ['a'] }],
    output: {
      kafka: {
        brokers: ['k0:9092, k1:9092', 'k2:9092'],
        topic: 'logs-{{format}}',
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
        tls: { enabled: true, ca_file: '/ca.pem' },
      },
    },
  });
  t.same(config.output, {
    kind: 'kafka',
    brokers: ['k0:9092', 'k1:9092', 'k2:9092'],
    topic: 'logs-{{format}}',
    client_id: 'logpod',
    acks: 'all',
    idempotent: true,
    compression: 'zstd',
    gzip_level: 3,
    packing: 'ndjson',
    record_max_bytes: 64 * 1024,
    batch_bytes: 1024 * 1024,
    max_buffered_bytes: 4 * 1024 * 1024,
    linger: 50,
    max_in_flight_requests: 5,
    request_timeout: 30_000,
    allow_auto_topic_creation: false,
    sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    tls: { enabled: true, reject_unauthorized: true, ca_file: '/ca.pem' },
  });
});

t.test('the config does not share objects with the raw tree', async (t) => {
  const fields = { team: { name: 'web' } };
  const raw = { inputs: [{ paths: ['a'], fields }], output: { stdout: {} } };
  const config = normalizeConfig(raw);
  (config.inputs[0].fields.team as Record<string, unknown>).name = 'changed';
  config.inputs[0].paths.push('b');
  t.equal(fields.team.name, 'web');
  t.same(raw.inputs[0].paths, ['a']);
});

t.test('elasticsearch: index replaces the default data stream', async (t) => {
  const output = (elasticsearch: Record<string, unknown>) =>
    normalizeConfig({ inputs: [{ paths: ['a'] }], output: { elasticsearch } }).output;
  t.match(output({ hosts: ['http://es:9200'] }), {
    kind: 'elasticsearch',
    data_stream: 'logs-{{dataset}}-default',
    index: undefined,
  });
  const dated = output({ hosts: ['http://es:9200'], index: 'logpod-%Y' });
  t.equal(dated.kind === 'elasticsearch' && dated.index, 'logpod-%Y');
  t.notOk('data_stream' in dated, 'no data stream next to an index');
});

t.test('writer: the dead-letter topic follows the topic unless given', async (t) => {
  const writer = (kafka: Record<string, unknown>) =>
    normalizeConfig({ output: { elasticsearch: { hosts: ['http://es:9200'] } }, writer: { kafka } })
      .writer;
  t.equal(writer({ brokers: ['k:9092'], topic: 'logs' })?.kafka.dead_letter_topic, 'logs-dlq');
  t.equal(
    writer({ brokers: ['k:9092'], topic: 'logs', dead_letter_topic: 'dlq' })?.kafka
      .dead_letter_topic,
    'dlq',
  );
});

t.test('alert rules keep only the keys of their type', async (t) => {
  const { alerts } = normalizeConfig({
    inputs: [{ paths: ['a'] }],
    output: { stdout: {} },
    alerts: {
      rules: [
        { name: 'quiet', type: 'no_events' },
        { name: 'errors', type: 'error_ratio', threshold: '5%' },
        { name: 'slow', type: 'latency', threshold: '2s', percentile: 95 },
      ],
    },
  });
  t.same(alerts.rules, [
    { name: 'quiet', type: 'no_events', window: 60_000 },
    { name: 'errors', type: 'error_ratio', threshold: 0.05, window: 60_000, min_events: 20 },
    {
      name: 'slow',
      type: 'latency',
      threshold: 2000,
      percentile: 95,
      window: 60_000,
      min_events: 20,
    },
  ]);
});

t.test('the file tree of a config puts the output back under its kind', async (t) => {
  const config = normalizeConfig({
    inputs: [{ paths: ['a'] }],
    output: { file: { path: 'out.ndjson' } },
  });
  const tree = configFileTree(config);
  t.same(tree.output, { file: { path: 'out.ndjson', fsync: true } });
  t.same(normalizeConfig(tree), config, 'and it loads back to the same config');
});
