// A file named by a config option (a CA certificate, a client key), read once
// when the component is built. A file that cannot be read is a configuration
// error that names the option, the path and why.

import { readFileSync } from 'node:fs';
import { errCode, ErrorCodes, LogpodError } from '../errors.js';

/** The bytes of `path`; `option` is the full key path, e.g. `output.kafka.tls.ca_file`. */
export function readOptionFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    const reason = errCode(cause) ?? (cause as Error).message;
    throw new LogpodError(ErrorCodes.CONFIG_INVALID, `${option}: cannot read ${path} (${reason})`, {
      cause,
    });
  }
}
