// `logpod parse`: lines on stdin, one JSON event per line on stdout, in the
// same order and exactly one output line per input line. For trying a
// log_format and for scripts.

import { once } from 'node:events';
import { createParser, type ParserOptions } from '../parse/index.js';
import { decodeLine } from '../parse/decode-line.js';
import { encodeEvent } from '../pipeline/encode.js';
import { addTag, TAG_INVALID_UTF8, TAG_TRUNCATED } from '../pipeline/event.js';
import { fileInput, INPUT_FORMATS } from '../config/schema.js';
import { parseSize } from '../config/units.js';
import { ExitCodes } from '../errors.js';
import { parseFlags, usageError } from './args.js';
import { PARSE_HELP } from './usage.js';
import { splitLines } from './stdin-lines.js';

/** --format takes every format but custom, which is --log-format. */
const FORMATS = INPUT_FORMATS.filter((f) => f !== 'custom');
/** The same default limit as an input's max_line_bytes. */
const MAX_LINE_BYTES = parseSize(fileInput.properties.max_line_bytes.default);

export async function parseCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    format: { type: 'string', short: 'f' },
    'log-format': { type: 'string' },
    timezone: { type: 'string' },
    'max-line-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(PARSE_HELP);
    return ExitCodes.OK;
  }
  const options = parserOptions(flags.format, flags['log-format'], flags.timezone);
  const parser = createParser(options);
  const maxLineBytes =
    flags['max-line-bytes'] === undefined ? MAX_LINE_BYTES : parseSize(flags['max-line-bytes']);

  const out = process.stdout;
  for await (const lines of splitLines(process.stdin, maxLineBytes)) {
    let text = '';
    for (const line of lines) {
      const decoded = decodeLine(line.buf, line.start, line.end);
      const event = parser.parse(decoded.text);
      if (line.truncated) addTag(event, TAG_TRUNCATED);
      if (decoded.invalidUtf8) addTag(event, TAG_INVALID_UTF8);
      text += encodeEvent(event) + '\n';
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  return ExitCodes.OK;
}

function parserOptions(
  format: string | undefined,
  logFormat: string | undefined,
  timezone: string | undefined,
): ParserOptions {
  if (logFormat !== undefined) {
    if (format !== undefined && format !== 'custom')
      throw usageError('give --format or --log-format, not both');
    return { format: 'custom', logFormat, timezone };
  }
  const name = format ?? 'main';
  if (!(FORMATS as readonly string[]).includes(name)) {
    throw usageError(
      `--format must be one of ${FORMATS.join(', ')} (or use --log-format), got "${name}"`,
    );
  }
  return { format: name as (typeof FORMATS)[number], timezone };
}
