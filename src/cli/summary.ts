// The short report `logpod run` prints when it stops: what was read, what
// was written where, and what needs a look (parse failures, cut lines).

import type { Config } from '../config/types.js';
import type { PipelineCounters } from '../pipeline/counters.js';

export function formatSummary(
  c: PipelineCounters,
  config: Config,
  elapsedMs: number,
  unreadable: readonly string[] = [],
): string {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const where = config.output.kind === 'file' ? config.output.path : 'stdout';
  const [other, s1, s2, s3, s4, s5] = c.statusClasses;
  const lines = [
    '',
    'logpod run summary',
    `  lines read        ${c.linesRead} (${formatBytes(c.bytesRead)}) in ${seconds.toFixed(1)} s`,
    `  events written    ${c.eventsAcked} to ${where}`,
    `  status classes    1xx ${s1}  2xx ${s2}  3xx ${s3}  4xx ${s4}  5xx ${s5}  none ${other}`,
    `  parse failures    ${c.parseFailures} (kept, tagged _parse_failure)`,
    `  truncated lines   ${c.truncatedLines} (longer than max_line_bytes, tagged _truncated)`,
    `  invalid UTF-8     ${c.invalidUtf8Lines} (kept as \\xHH, tagged _invalid_utf8)`,
    `  unreadable files  ${unreadable.length}${unreadableDetail(unreadable)}`,
    `  registry          ${config.data_dir} (a second run resumes here: lines already written are not repeated)`,
    '',
  ];
  return lines.join('\n');
}

/** The first few paths, so a user knows where to look (the warnings name them all). */
function unreadableDetail(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  const shown = paths.slice(0, 5).join(', ');
  return ` (permission denied, not read: ${shown}${paths.length > 5 ? ', ...' : ''})`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
