// Help texts for every command, in one place so README and --help stay in
// step. Each is what `logpod <command> --help` prints.

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

Exit codes: 0 success, 1 runtime failure, 2 bad config or usage.
`;

export const RUN_HELP = `Usage: logpod run [--config FILE] [options]

Tails log files, parses every line into an Elastic Common Schema event and
writes the events as NDJSON (or straight into Elasticsearch). The saved position (registry, in the data dir)
only moves past a line once the output has it, so a restart resumes without
losing or repeating lines. Works from a config file, from flags alone, or
both (flags override the file).

Options:
  -c, --config FILE        YAML config (see config/logpod.yaml)
  -i, --input GLOB         file or glob to tail (repeatable; replaces the config's inputs)
  -f, --format NAME        combined | main | json | error (default: main)
      --log-format STRING  a custom nginx log_format string (implies format custom)
  -o, --output SPEC        stdout | file:PATH | elasticsearch:URL (default: stdout)
  -d, --data-dir DIR       where the registry is kept (default: ./data)
      --from WHERE         beginning | end: where to start on a file seen the first time
      --listen HOST:PORT   serve /startupz /livez /readyz /metrics /status there
      --once               read every file to its current end, wait until all is
                           written, print a summary and exit
  -h, --help               show this help

Examples:
  logpod run --input '/var/log/nginx/access.log*' --from beginning --output file:events.ndjson
  logpod run --config config/standalone.yaml --once
`;

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
`;

export const CHECK_HELP = `Usage: logpod check --config FILE

Validates the config (environment interpolation, schema, every problem at
once) and prints the effective config, defaults filled in, secrets redacted.
Exits 0 when valid, 2 when not.

Options:
  -c, --config FILE   YAML config to check
  -h, --help          show this help
`;

export const AGENT_HELP = `Usage: logpod agent [--config FILE] [options]

The sidecar: tails nginx's logs on the shared volume, parses every line and
ships the events to Kafka (key = the file's identity, value = the event JSON).
The registry only moves past a line once Kafka acknowledged it (acks=all by
default); when Kafka is slow or down, reading pauses and memory stays flat.
The probe server answers /startupz /livez /readyz /metrics /status.

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
`;
