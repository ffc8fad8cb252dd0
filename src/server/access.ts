// Who may read what the server shows. Probes and /metrics answer everyone who reaches the
// port (the kubelet, Prometheus); every other path (the dashboard, its API, /status) shows
// URLs, client addresses and file paths, so it needs an allowed Host header (DNS
// rebinding) and a connection made to loopback or the server.auth token.

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerAuthConfig } from '../config/types.js';
import { ErrorCodes, LogpodError } from '../errors.js';

/** Paths open to everyone; the worker answers the first three itself. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  '/startupz',
  '/livez',
  '/readyz',
  '/metrics',
]);

const MIN_TOKEN_LENGTH = 16;

/** The token from server.auth, or undefined when none is configured (or its variable is empty). */
export function resolveAuthToken(
  auth: ServerAuthConfig,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  let token: string | undefined;
  let from: string;
  if (auth.token_file !== '') {
    from = `server.auth.token_file ${auth.token_file}`;
    try {
      token = readFileSync(auth.token_file, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new LogpodError(ErrorCodes.CONFIG_INVALID, `cannot read ${from} (${code})`, {
        cause,
      });
    }
  } else if (auth.token_env !== '') {
    from = `server.auth.token_env (${auth.token_env})`;
    token = env[auth.token_env];
    if (token === undefined || token === '') return undefined;
  } else {
    return undefined;
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `the token in ${from} is shorter than ${MIN_TOKEN_LENGTH} characters: too easy to guess`,
    );
  }
  return token;
}

/** The digest the worker compares presented tokens against (equal length, constant time). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when `authorization` carries the token, as "Bearer TOKEN" or basic auth's password. */
export function authorizationMatches(authorization: string | undefined, digest: Buffer): boolean {
  if (authorization === undefined) return false;
  const space = authorization.indexOf(' ');
  if (space === -1) return false;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  let presented: string;
  if (scheme === 'bearer') presented = value;
  else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    presented = decoded.slice(decoded.indexOf(':') + 1);
  } else return false;
  return timingSafeEqual(tokenDigest(presented), digest);
}

/** Host names the private paths answer to: loopback names, the listen host, the pod IP, extras. */
export function allowedHostNames(
  listenHost: string,
  extra: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  if (!isWildcard(listenHost)) names.add(normalizeHostName(listenHost));
  const podIp = env.POD_IP;
  if (podIp !== undefined && podIp !== '') names.add(normalizeHostName(podIp));
  for (const name of extra) names.add(normalizeHostName(name));
  return [...names];
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** "LocalHost." -> "localhost", "[::1]" -> "::1". */
export function normalizeHostName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith('[') && n.endsWith(']')) n = n.slice(1, -1);
  if (n.endsWith('.')) n = n.slice(0, -1);
  return n;
}

/** The host name of a Host header ("example.com:8686", "[::1]:8686"); undefined when absent. */
export function hostHeaderName(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  let name = host;
  if (name.startsWith('[')) {
    const close = name.indexOf(']');
    if (close === -1) return undefined;
    name = name.slice(0, close + 1);
  } else {
    const colon = name.lastIndexOf(':');
    if (colon !== -1) name = name.slice(0, colon);
  }
  return normalizeHostName(name);
}

/** True for a socket's local address on loopback: 127.0.0.0/8, ::1, ::ffff:127.x.y.z. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}
