// logpod's version, read from package.json (at the same depth from src/ and
// dist/). Shown by --version and in /status.

import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** package.json's version, or 'unknown' when it cannot be read. */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const url = new URL('../../package.json', import.meta.url);
    cached = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    cached = 'unknown';
  }
  return cached;
}
