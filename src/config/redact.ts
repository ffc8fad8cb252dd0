// Secrets out of anything shown to people (`logpod check`, /status, error messages):
// values of secret-looking keys and the user:password part of URLs become '[redacted]'.
// Works on a deep copy; the config object itself is never changed.

import type { Config } from './types.js';

export const REDACTED = '[redacted]';

const SECRET_NAMES = [
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'api_key',
  'apikey',
  'private_key',
  'access_key',
  'authorization',
  'cookie',
  'credential',
  'credentials',
];

/**
 * True for keys that hold secrets (password, pass, secret, token, api_key, authorization,
 * cookie, credentials...), in any case, with '-' or '_', alone or as the last word
 * (client_secret, KAFKA_PASSWORD, apiKey, db_pass, Proxy-Authorization, Set-Cookie).
 */
export function isSecretKey(key: string): boolean {
  const k = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/-/g, '_');
  for (const name of SECRET_NAMES) {
    if (k === name || k.endsWith(`_${name}`)) return true;
  }
  return false;
}

/** Replaces the userinfo of every URL in `text` ("scheme://user:pw@host" -> "scheme://[redacted]@host"). */
export function redactUrlCredentials(text: string): string {
  let scheme = text.indexOf('://');
  if (scheme === -1) return text;
  let out = '';
  let from = 0;
  while (scheme !== -1) {
    const authorityStart = scheme + 3;
    let end = authorityStart;
    while (end < text.length && !isAuthorityEnd(text.charCodeAt(end))) end++;
    const at = text.lastIndexOf('@', end - 1);
    if (at >= authorityStart) {
      out += text.slice(from, authorityStart) + REDACTED;
      from = at;
    }
    scheme = text.indexOf('://', end);
  }
  return out + text.slice(from);
}

/**
 * For a value that failed validation, so may not parse as a URL at all: everything between
 * "://" and the last '@' goes ("https://u:p w@es host" -> "https://[redacted]@es host").
 */
export function redactInvalidUrl(text: string): string {
  const scheme = text.indexOf('://');
  if (scheme === -1) return text;
  const at = text.lastIndexOf('@');
  if (at < scheme + 3) return text;
  return `${text.slice(0, scheme + 3)}${REDACTED}${text.slice(at)}`;
}

/** '/', '?', '#' and whitespace end a URL's authority (user:pw@host:port). */
function isAuthorityEnd(c: number): boolean {
  return c === 0x2f || c === 0x3f || c === 0x23 || c === 0x20 || c === 0x09 || c === 0x0a;
}

/** A deep copy of `value` with secrets replaced by '[redacted]'. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const redacted = isSecretKey(key) && item !== undefined ? REDACTED : redactValue(item);
      Object.defineProperty(out, key, {
        value: redacted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * A URL whose path or query may be its secret (a webhook), safe to print: scheme and host
 * only, "https://hooks.example.com/[redacted]"; text that is not a URL is redacted whole.
 */
export function redactUrlPath(text: string): string {
  try {
    const url = new URL(text);
    const hasMore = (url.pathname !== '' && url.pathname !== '/') || url.search !== '';
    return `${url.protocol}//${url.host}${hasMore ? `/${REDACTED}` : ''}`;
  } catch {
    return REDACTED;
  }
}

/** The effective config, safe to print: a deep copy with every secret replaced. */
export function redactConfig(config: Pick<Config, 'alerts'>): unknown {
  const out = redactValue(config) as { alerts?: { webhook?: Record<string, unknown> } };
  const webhook = out.alerts?.webhook;
  const original = config.alerts?.webhook;
  if (webhook !== undefined && original !== undefined) {
    webhook.url = redactUrlPath(original.url);
    webhook.headers = Object.fromEntries(Object.keys(original.headers).map((k) => [k, REDACTED]));
  }
  return out;
}
