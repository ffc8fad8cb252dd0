// Help texts for every command, in one place so README and --help stay in
// step. Each is what `logpod <command> --help` prints, exit codes included
// (src/errors.ts ExitCodes; test/unit/cli/usage.test.ts keeps them listed).

/** The exit codes of the long-running commands (run, agent, writer). */
const SERVICE_EXIT_CODES = `Exit codes:
  0    stopped cleanly: everything in flight was delivered and the position saved
  1    a runtime failure (for example the output refuses the events for good)
  2    bad config or usage: nothing was started
  3    the shutdown deadline (shutdown.timeout) passed before everything in
       flight was delivered; what was not is read again on the next start
  4    (run --once only) a matching file could not be read (permission denied;
       named in the summary); the other files were read
  130  a second SIGINT/SIGTERM: exited at once without draining
`;

import { fileInput } from '../config/schema.js';

export const MAIN_HELP = `logpod - ships nginx logs: tail, parse, deliver; nothing lost, nothing twice

Usage: logpod <command> [options]

Commands:
  agent    the sidecar: tail nginx logs and ship the events to Kafka
  writer   consume the events topic and index into Elasticsearch, each line once
  run      tail log files and write parsed events to stdout or a file (standalone)
  parse    parse log lines from stdin, one JSON event per line on stdout
  check    validate a config file and print the effective config (secrets redacted)
  status   print a running logpod's /status as tables

Options:
  -h, --help       show help (also: logpod <command> --help)
  -v, --version    print the version

Exit codes:
  0    success
  1    a runtime failure
  2    bad config or usage: nothing was started
  3    the shutdown deadline passed before everything in flight was delivered
  4    run --once: a matching file could not be read (permission denied)
  130  a second SIGINT/SIGTERM: exited at once without draining
`;

export const RUN_HELP = `Usage: logpod run [--config FILE] [options]

Tails log files, parses every line into an Elastic Common Schema event and
writes the events as NDJSON (or straight into Elasticsearch). The saved position (registry, in the data dir)
only moves past a line once the output has it, so a restart resumes without
losing or repeating lines. Works from a config file, from flags alone, or
both (flags override the file). GeoIP, user-agent and Kubernetes enrichment
are on by default (there is no writer behind run to do them).

Options:
  -c, --config FILE        YAML config (see config/logpod.yaml)
  -i, --input GLOB         file or glob to tail (repeatable; replaces the config's inputs)
  -f, --format NAME        combined | main | json | error (default: main)
      --log-format STRING  a custom nginx log_format string (implies format custom)
  -o, --output SPEC        stdout | file:PATH | elasticsearch:URL (default: stdout)
  -d, --data-dir DIR       where the registry is kept (default: ./data)
      --from WHERE         beginning | end: where to start on a file seen the first time
      --listen HOST:PORT   serve /startupz /livez /readyz /metrics /status and the
                           dashboard there (the last two: loopback or server.auth)
      --once               read every file to its current end, wait until all is
                           written, print a summary and exit
  -h, --help               show this help

Examples:
  logpod run --input '/var/log/nginx/access.log*' --from beginning --output file:events.ndjson
  logpod run --config config/standalone.yaml --once

${SERVICE_EXIT_CODES}`;

export const PARSE_HELP = `Usage: logpod parse [--format NAME | --log-format STRING] [--max-line-bytes N]

Reads log lines on stdin and writes one JSON event per line on stdout, in the
same order: exactly one output line per input line. A line that does not fit
the format is kept with tags ["_parse_failure"] and event.original.

Options:
  -f, --format NAME        combined | main | json | error (default: main)
      --log-format STRING  a custom nginx log_format string
      --timezone OFFSET    zone for error-log timestamps, e.g. +02:00 (default: UTC)
      --max-line-bytes N   longer lines are cut and tagged _truncated (default: ${fileInput.properties.max_line_bytes.default})
  -h, --help               show this help

Example:
  tail -n 5 /var/log/nginx/access.log | logpod parse --format main

Exit codes:
  0    every line was written
  1    stdin or stdout failed
  2    bad usage (an unknown format, a log_format that does not compile)
`;

export const CHECK_HELP = `Usage: logpod check --config FILE [--role agent|writer|run]

Validates the config (environment interpolation, schema, every problem at
once) and prints the effective config, defaults filled in, secrets redacted.
Some defaults depend on the command: enrich.geoip and enrich.user_agent are
off for the agent (the writer enriches), enrich.kubernetes is off for the
writer; run has all three on. A key the file sets always wins.

Options:
  -c, --config FILE   YAML config to check
  -r, --role ROLE     agent | writer | run: whose defaults to fill (default: run)
  -h, --help          show this help

Exit codes:
  0    the config is valid
  2    it is not (every problem is listed), or bad usage
`;

export const AGENT_HELP = `Usage: logpod agent [--config FILE] [options]

The sidecar: tails nginx's logs on the shared volume, parses every line and
ships the events to Kafka (key = the file's identity, value = NDJSON of that
file's events, one a line; output.kafka.packing: none for one event per record).
The registry only moves past a line once Kafka acknowledged it (acks=all by
default); when Kafka is slow or down, reading pauses and memory stays flat.
A missing topic, refused credentials or a failed TLS handshake is logged with
its code and retried, never fatal: /readyz answers 503 naming it, /startupz
and /livez stay 200, and everything is shipped once Kafka accepts the agent.
SASL and TLS: output.kafka.sasl and output.kafka.tls in the config file.
The probe server answers /startupz /livez /readyz /metrics to everyone, and
/status and the dashboard to loopback or with the server.auth token.
GeoIP and user-agent enrichment are off here by default: the writer does them
(set enrich.geoip.enabled / enrich.user_agent.enabled to enrich in the agent;
an event is never enriched twice). Kubernetes metadata and host are added.

Options:
  -c, --config FILE        YAML config (see config/agent.yaml, config/logpod.yaml)
  -i, --input GLOB         file or glob to tail (repeatable; replaces the config's inputs)
  -f, --format NAME        combined | main | json | error (default: main)
      --log-format STRING  a custom nginx log_format string (implies format custom)
      --brokers LIST       Kafka brokers, HOST:PORT[,HOST:PORT] (sets output.kafka.brokers)
      --topic NAME         Kafka topic; {{format}} and {{input}} are replaced
  -d, --data-dir DIR       where the registry is kept (default: /var/lib/logpod)
      --from WHERE         beginning | end: where to start on a file seen the first time
      --listen HOST:PORT   probe server address (default: server.listen)
  -h, --help               show this help

Example:
  logpod agent --input '/var/log/nginx/access.log*' --brokers kafka:9092 --topic logs-nginx

${SERVICE_EXIT_CODES}`;

export const WRITER_HELP = `Usage: logpod writer [--config FILE] [options]

Consumes the events topic in a consumer group and writes every event to
Elasticsearch exactly once (_bulk create with _id = event.id; a replay is a
409 duplicate). Offsets are committed only after each document is indexed, a
known duplicate, or in the dead-letter topic. Flags override the config file.
Events are enriched on the way (GeoIP: source.geo, source.as; user agent:
user_agent.*) unless the config turns enrich.geoip / enrich.user_agent off;
an event the agent already enriched is left as it is.

Options:
  -c, --config FILE          config file with writer.kafka and output.elasticsearch
      --brokers HOST:PORT    Kafka bootstrap brokers (comma-separated)
      --topic T              the events topic
      --group G              consumer group id (default logpod-writer)
      --dead-letter-topic T  rejected documents go here (default <topic>-dlq)
      --elasticsearch URL    Elasticsearch node URL (comma-separated for several)
      --data-stream NAME     data stream, {{dataset}} allowed (default logs-{{dataset}}-default)
      --index NAME           dated indices instead, e.g. logpod-{{dataset}}-%Y.%m.%d
      --listen HOST:PORT     probe server address (/startupz /livez /readyz /metrics /status);
                             ready while Kafka and Elasticsearch are reachable
  -h, --help                 this help

Kafka trouble never ends the writer: connecting is retried with backoff, and a
refusal (credentials, TLS) is logged with its code and shown in /status and /readyz.
SASL and TLS: writer.kafka.sasl and writer.kafka.tls in the config file.

Stops cleanly on SIGTERM/SIGINT within shutdown.timeout: in-flight bulks
settle and their offsets are committed.

${SERVICE_EXIT_CODES}`;

export const STATUS_HELP = `Usage: logpod status [--url URL] [--json] [--timeout MS]

Asks a running logpod (agent, writer or run with server.enabled) for its state
and prints it as tables: probes (startup, live, ready) with their reasons,
stages, counters, files with the bytes not yet acknowledged (lag), outputs.

Options:
  -u, --url URL       where logpod's server listens (default: http://127.0.0.1:8686)
      --json          print the /status JSON as it came
      --timeout MS    give up after this long (default: 5000)
  -h, --help          show this help

/status answers connections made to loopback (run this inside the pod, or through
kubectl port-forward); from elsewhere it needs the server.auth token, which this
command sends when LOGPOD_DASHBOARD_TOKEN is set.

Exit codes:
  0    it answered
  1    it cannot be reached, or answered an error
  2    bad usage
`;
