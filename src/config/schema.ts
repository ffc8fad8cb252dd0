// The JSON schema of the configuration file, with every default: the one description of
// the config. ajv validates against it (validate.ts), loading fills the defaults from it
// (normalize.ts), and the TypeScript types are read off it (types.ts). Every mapping is
// closed (additionalProperties: false) except the free-form `fields` and webhook headers.
// Defaults are written in the units a user would write; config/logpod.yaml shows the same
// values (a test keeps the two in step). Key order is the order `logpod check` prints.

import { LOG_LEVELS } from '../logger.js';
import {
  anyString,
  boolean,
  byRole,
  closed,
  duration,
  integer,
  nonEmptyString,
  oneOf,
  size,
  stringList,
} from './json-schema.js';
import { outputSection, writerKafka } from './output-schema.js';

const DAY_MS = 86_400_000;
const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** How an input's lines are parsed; the parse stage and `logpod parse` take the same names. */
export const INPUT_FORMATS = ['combined', 'main', 'json', 'error', 'custom'] as const;

const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';

export const fileInput = closed(
  {
    type: { ...oneOf('file'), default: 'file' },
    /** Unique among inputs; "input-<index>" when not given. */
    id: {
      type: 'string',
      pattern: NAME_PATTERN,
      'x-message':
        'an id of letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)',
    },
    /** Glob patterns, at least one. Relative patterns are relative to the working directory. */
    paths: stringList(1),
    /** Glob patterns; one without '/' matches the file name, one with '/' the full path. */
    exclude: { ...stringList(0), default: [] },
    /** 'custom' when only log_format was given. */
    format: { ...oneOf(...INPUT_FORMATS), default: 'main' },
    /** The nginx log_format string; kept exactly when format is 'custom'. */
    log_format: nonEmptyString,
    /** UTC offset '+HH:MM' / '-HH:MM' for lines whose time has no zone (error logs). */
    timezone: {
      type: 'string',
      pattern: '^[+-](0[0-9]|1[0-4]):[0-5][0-9]$',
      'x-message': 'a UTC offset like +00:00, +02:00 or -05:30',
      default: '+00:00',
    },
    /** Where to start in a file seen for the first time (the registry wins after that). */
    start_at: { ...oneOf('beginning', 'end'), default: 'end' },
    /** Bytes at the start of a file hashed into its identity. */
    fingerprint_bytes: { ...size(64, 64 * KIB), default: 1024 },
    /** Longer lines are cut to this many bytes and tagged _truncated. */
    max_line_bytes: { ...size(16, 64 * MIB), default: '1MiB' },
    read_buffer_bytes: { ...size(16, 64 * MIB), default: '64KiB' },
    /** An unfinished last line is emitted after this long without a newline. */
    partial_line_timeout: { ...duration(1), default: '5s' },
    /** Periodic discovery, a fallback for missed file-system events. */
    rescan_interval: { ...duration(1), default: '10s' },
    /** A file with no new data for this long is closed (reopened when it grows). */
    close_inactive: { ...duration(1), default: '5m' },
    /** A rotated-away file is read at most this long after it stops growing. */
    close_renamed: { ...duration(0), default: '30s' },
    /**
     * Delete a rotated file (renamed, or moved out of the patterns) once every
     * line of it is acknowledged and it has been quiet this long. Off when unset.
     */
    remove_after: duration(0),
    /** Cap on open descriptors for this input; files beyond it are scheduled fairly. */
    max_open_files: { ...integer(1, 65536), default: 256 },
    /** Read files reached through a symlink (off: skipped with a warning, opened O_NOFOLLOW). */
    follow_symlinks: { ...boolean, default: false },
    /** Extra fields merged into every event. */
    fields: { type: 'object', default: {} },
    /** Extra tags on every event. */
    tags: { type: 'array', items: nonEmptyString, uniqueItems: true, default: [] },
  },
  ['paths'],
);

const cacheSize = integer(2, 10_000_000);

// GeoIP and user agent run where one process serves many pods (the writer) or where
// there is no writer (run); Kubernetes metadata only where the pod is (agent, run).
const enrichSection = closed({
  geoip: {
    ...closed({
      enabled: { ...boolean, ...byRole({ agent: false, writer: true, run: true }) },
      /** MMDB file for IPv4 (and IPv6 unless database_ipv6 is set); '' = the bundled file. */
      database: { ...anyString, default: '' },
      /** MMDB file for IPv6 only; '' = database answers IPv6. */
      database_ipv6: { ...anyString, default: '' },
      /** GeoLite2-ASN layout MMDB for source.as.*; '' = none. */
      asn_database: { ...anyString, default: '' },
      /** Look up public IPv6 addresses (loads the IPv6 file on the first one). */
      ipv6: { ...boolean, default: true },
      /** Addresses whose result is kept (LRU). */
      cache_size: { ...cacheSize, default: 10000 },
    }),
    default: {},
  },
  user_agent: {
    ...closed({
      enabled: { ...boolean, ...byRole({ agent: false, writer: true, run: true }) },
      /** User agents whose parsed result is kept (LRU). */
      cache_size: { ...cacheSize, default: 10000 },
    }),
    default: {},
  },
  /** CIDR blocks (and 'unix:') whose X-Forwarded-For is believed; [] = never. */
  trusted_proxies: {
    type: 'array',
    items: {
      type: 'string',
      format: 'cidr',
      'x-message': 'a CIDR block like 10.0.0.0/8 or 2001:db8::/32, a single address, or unix:',
    },
    default: [],
  },
  kubernetes: {
    ...closed({
      enabled: { ...boolean, ...byRole({ agent: true, writer: false, run: true }) },
      pod_name_env: { ...nonEmptyString, default: 'POD_NAME' },
      namespace_env: { ...nonEmptyString, default: 'POD_NAMESPACE' },
      node_name_env: { ...nonEmptyString, default: 'NODE_NAME' },
      container_name_env: { ...nonEmptyString, default: 'CONTAINER_NAME' },
      /** The downward API labels file; '' for none. */
      labels_file: { ...anyString, default: '/etc/podinfo/labels' },
    }),
    default: {},
  },
});

export const alertRule = closed(
  {
    name: {
      type: 'string',
      pattern: NAME_PATTERN,
      'x-message':
        'a name of letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)',
    },
    type: oneOf('error_ratio', 'latency', 'no_events'),
    /** The rule looks at the last `window` of events. */
    window: { ...duration(1000, 3_600_000), default: '1m' },
    /** A ratio for error_ratio, a duration for latency: checked per type in checks.ts. */
    threshold: {},
    percentile: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 100,
      'x-message': 'a percentile above 0 and below 100, e.g. 99 or 99.9',
      default: 99,
    },
    /** Fewer events than this in the window never fire. */
    min_events: { ...integer(1, 1_000_000_000), default: 20 },
  },
  ['name', 'type'],
);

const alertsSection = closed({
  rules: { type: 'array', items: alertRule, default: [] },
  /** After a notification, the same rule does not notify again for this long. */
  cooldown: { ...duration(0), default: '10m' },
  /** Notify when a firing rule clears. */
  send_resolved: { ...boolean, default: true },
  webhook: closed(
    {
      /** POSTed JSON; may hold a secret (never logged in full, redacted by `logpod check`). */
      url: {
        type: 'string',
        format: 'http-url',
        'x-message': 'a URL like https://hooks.example.com/services/...',
      },
      timeout: { ...duration(1, 300_000), default: '5s' },
      /** Attempts after the first one, on network errors, 408, 429 and 5xx. */
      retries: { ...integer(0, 10), default: 2 },
      /** Extra request headers (e.g. Authorization); values redacted by `logpod check`. */
      headers: { type: 'object', additionalProperties: anyString, default: {} },
    },
    ['url'],
  ),
});

export const configSchema = {
  ...closed(
    {
      /** Registry and other state; relative to the working directory. */
      data_dir: { ...nonEmptyString, default: '/var/lib/logpod' },
      /** At least one unless the file configures the writer (then possibly none). */
      // No inputs is [] after loading; validation requires them unless the file has a writer.
      inputs: { type: 'array', minItems: 1, items: fileInput, default: [] },
      registry: {
        ...closed({
          /** How often acknowledged positions are written to disk. */
          flush_interval: { ...duration(0), default: '1s' },
          /** Entries of files gone for longer than this are forgotten. */
          clean_after: { ...duration(0, 3650 * DAY_MS), default: '24h' },
        }),
        default: {},
      },
      pipeline: {
        ...closed({
          batch_max_events: { ...integer(1, 1_000_000), default: 2048 },
          batch_max_bytes: { ...size(1, GIB), default: '1MiB' },
          /** A batch that is not full is sent after this long. */
          batch_max_wait: { ...duration(0), default: '200ms' },
          /** Reading pauses while this many events are unacknowledged... */
          max_in_flight_events: { ...integer(1, 100_000_000), default: 65536 },
          /** ...or this many bytes of encoded events. */
          max_in_flight_bytes: { ...size(1, 64 * GIB), default: '32MiB' },
        }),
        default: {},
      },
      output: outputSection,
      server: {
        ...closed({
          enabled: { ...boolean, default: true },
          /** HOST:PORT; parse it with parseHostPort from address.ts. */
          listen: {
            type: 'string',
            format: 'host-port',
            'x-message': 'HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8686',
            default: '127.0.0.1:8686',
          },
          /** Host header names the dashboard and /status accept besides localhost, the listen host and $POD_IP. */
          allowed_hosts: { type: 'array', items: nonEmptyString, default: [] },
          /** The token that opens the dashboard and /status to non-loopback clients; both '' = none. */
          auth: {
            ...closed({
              /** A file holding the token (a mounted Secret); '' = none. */
              token_file: { ...anyString, default: '' },
              /** The name of an environment variable holding the token; '' = none. */
              token_env: { ...anyString, default: '' },
            }),
            default: {},
          },
          /** URLs on the dashboard keep their query string (tokens, session ids). */
          show_query_strings: { ...boolean, default: false },
          /** Client addresses on the dashboard show their network only (IPv4 /24, IPv6 /48). */
          mask_client_ips: { ...boolean, default: false },
        }),
        default: {},
      },
      logging: {
        /** LOGPOD_LOG_LEVEL, when set, overrides the file. */
        ...closed({ level: { ...oneOf(...LOG_LEVELS), default: 'info' } }),
        default: {},
      },
      shutdown: {
        /** Upper bound on draining and flushing at shutdown. */
        ...closed({ timeout: { ...duration(1), default: '25s' } }),
        default: {},
      },
      /** host.name on events; os.hostname() when empty. */
      host_name: { ...anyString, default: '' },
      /** `logpod writer` (Kafka -> Elasticsearch); absent in agent-only files. */
      writer: closed({ kafka: writerKafka }, ['kafka']),
      /** GeoIP, user agent, client address behind proxies, Kubernetes metadata. */
      enrich: { ...enrichSection, default: {} },
      alerts: { ...alertsSection, default: {} },
    },
    ['output'],
  ),
  // A writer-only file needs no inputs; validate.ts drops the bare "if" error ajv adds.
  if: { properties: { writer: false } },
  then: { properties: { inputs: true }, required: ['inputs'] },
};
