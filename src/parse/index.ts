// The parse stage's entry point: options are checked and formats compiled once
// in createParser; the returned parse() never throws and turns every input
// line into exactly one ECS event (a `_parse_failure` one if it does not fit).

/*
 * Supported formats
 *   combined  nginx's predefined format
 *   main      combined + ` "$http_x_forwarded_for"` (official Docker image)
 *   custom    any log_format string (also written as nginx.conf quoted pieces
 *             '...' '...'); `$var` and `${var}`; two variables with no literal
 *             text between them are read where their values make the boundary
 *             certain (value-classes.ts), else refused
 *   json      one JSON object a line (log_format ... escape=json); keys named
 *             like nginx variables (`status`, `$status`) map as below; ECS
 *             dotted names (`source.address`, `http.response.status_code`,
 *             `labels.x`, ...) are placed as is, numbers where ECS has numbers;
 *             a numeric `@timestamp` is epoch ms; other keys go to
 *             nginx.access.<key>
 *   error     nginx error log
 * Times without a zone (error log, JSON) use the `timezone` option (`+02:00`,
 * `-0500`, `Z`; default UTC).
 *
 * nginx variable            ECS field
 *   $remote_addr             source.address; source.ip when an IPv4/IPv6 literal
 *   $remote_user             user.name
 *   $time_local              @timestamp (UTC, ms; the line's offset honoured)
 *   $time_iso8601            @timestamp
 *   $msec                    @timestamp (wins over the two above)
 *   $request                 http.request.method, url.original, url.path,
 *                            url.query, http.version; unreadable (TLS handshake,
 *                            binary) -> nginx.access.request
 *   $request_method          http.request.method
 *   $request_uri             url.original, url.path, url.query
 *   $uri, $args              url.path, url.query when no request target was
 *                            read; else nginx.access.uri, nginx.access.args
 *   $server_protocol         http.version ('1.1', '2.0')
 *   $scheme                  url.scheme
 *   $host                    url.domain
 *   $server_name             url.domain without $host; else nginx.access.server_name
 *   $status                  http.response.status_code
 *   $body_bytes_sent         http.response.body.bytes
 *   $bytes_sent              http.response.bytes
 *   $request_length          http.request.bytes
 *   $request_time            event.duration (nanoseconds)
 *   $upstream_addr           nginx.access.upstream.address (raw, lists kept)
 *   $upstream_status         nginx.access.upstream.status (raw string);
 *                            .status_code (number, single upstream only)
 *   $upstream_response_time  nginx.access.upstream.response_time (raw string);
 *                            .response_time_ns (number, single upstream only)
 *   $upstream_connect_time   nginx.access.upstream.connect_time (raw string);
 *                            .connect_time_ns (number, single upstream only)
 *   $http_referer            http.request.referrer
 *   $http_user_agent         user_agent.original
 *   $http_x_forwarded_for    nginx.access.remote_ip_list (array)
 *   $connection              nginx.access.connection
 *   $pipe                    nginx.access.pipe (true when 'p')
 *   any other $name          nginx.access.<name> (string)
 *
 * Error log: log.level, message, process.pid, process.thread.id,
 *   nginx.error.connection_id (*N), and from the context nginx appends:
 *   client -> source.address/ip, request -> http.request.method, url.original,
 *   url.path, url.query, http.version, host -> url.domain (server when there is
 *   no host, else nginx.error.server), referrer -> http.request.referrer,
 *   upstream -> nginx.error.upstream, subrequest -> nginx.error.subrequest.
 *
 * Always: event.original (the raw line), event.dataset ('nginx.access' or
 * 'nginx.error'). '-' and empty values are absent keys. nginx's `\xHH` escapes
 * are decoded once into bytes, then UTF-8; bytes that are not valid UTF-8 stay
 * as `\xHH` text. A line whose literals do not match, or whose time or number
 * fields are malformed, becomes { event.original, event.dataset,
 * tags: ['_parse_failure'] } and nothing else.
 */

import { INPUT_FORMATS } from '../config/schema.js';
import { ErrorCodes, LogpodError } from '../errors.js';
import type { EcsEvent } from '../pipeline/event.js';
import { AccessLineParser } from './nginx/access-parser.js';
import { ErrorLineParser } from './nginx/error-parser.js';
import { JsonLineParser } from './nginx/json-parser.js';
import { COMBINED_FORMAT, MAIN_FORMAT, compileLogFormat } from './nginx/log-format.js';
import { TimeParser, parseOffset } from './nginx/timestamp.js';

export type FormatName = 'combined' | 'main' | 'json' | 'error';

export interface ParserOptions {
  format: FormatName | 'custom';
  /** The log_format string; required with (and only with) format 'custom'. */
  logFormat?: string;
  /** Offset of times that carry no zone (error log), e.g. '+02:00'; default UTC. */
  timezone?: string;
}

export interface LineParser {
  /** Never throws; one event per line, `event.original` === line. */
  parse(line: string): EcsEvent;
}

const FORMATS: readonly string[] = INPUT_FORMATS;

function invalid(message: string): LogpodError {
  return new LogpodError(ErrorCodes.LOG_FORMAT_INVALID, message);
}

/** Builds a parser; throws LOG_FORMAT_INVALID for a bad log_format or options. */
export function createParser(opts: ParserOptions): LineParser {
  if (opts === null || typeof opts !== 'object') throw invalid('parser options are missing');
  const { format, logFormat, timezone } = opts;
  if (!FORMATS.includes(format)) {
    throw invalid(`unknown format "${String(format)}" (expected one of ${FORMATS.join(', ')})`);
  }
  let offset = 0;
  if (timezone !== undefined) {
    offset = typeof timezone === 'string' ? parseOffset(timezone.trim()) : NaN;
    if (Number.isNaN(offset)) {
      throw invalid(
        `timezone "${String(timezone)}" is not an offset like "+02:00", "-0500" or "Z"`,
      );
    }
  }
  if (format === 'custom' && (typeof logFormat !== 'string' || logFormat.trim() === '')) {
    throw invalid('format "custom" needs a non-empty logFormat string');
  }
  if (format !== 'custom' && logFormat !== undefined) {
    throw invalid(`logFormat is only used with format "custom" (format is "${format}")`);
  }
  const time = new TimeParser(offset);
  switch (format) {
    case 'combined':
      return new AccessLineParser(compileLogFormat(COMBINED_FORMAT), time);
    case 'main':
      return new AccessLineParser(compileLogFormat(MAIN_FORMAT), time);
    case 'custom':
      return new AccessLineParser(compileLogFormat(logFormat as string), time);
    case 'json':
      return new JsonLineParser(time);
    case 'error':
      return new ErrorLineParser(time);
  }
}
