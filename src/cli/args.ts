// Flag parsing for every command, on node's own util.parseArgs: strict, so
// an unknown flag or a missing value is a usage error (exit 2) that names it.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ErrorCodes, LogpodError } from '../errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends OptionSpec>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (cause) {
    throw new LogpodError(ErrorCodes.USAGE, `${(cause as Error).message} (see --help)`, { cause });
  }
}

export function usageError(message: string): LogpodError {
  return new LogpodError(ErrorCodes.USAGE, `${message} (see --help)`);
}
