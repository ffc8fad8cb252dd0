// HOST:PORT strings (server.listen, Kafka brokers). IPv6 hosts go in brackets
// ("[::1]:8686"); the host is kept as written, without the brackets.

import { ErrorCodes, LogpodError } from '../errors.js';

export interface HostPort {
  host: string;
  port: number;
}

/** `{ host, port }`, or undefined when `value` is not HOST:PORT with a port in range. */
export function tryParseHostPort(value: unknown, minPort = 0): HostPort | undefined {
  if (typeof value !== 'string') return undefined;
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return undefined;
  let host = value.slice(0, colon);
  const portText = value.slice(colon + 1);
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    if (host.charCodeAt(host.length - 1) !== 0x5d /* ] */ || host.length < 3) return undefined;
    host = host.slice(1, -1);
  } else if (host.includes(':')) {
    return undefined;
  }
  if (!isHostText(host)) return undefined;
  if (portText.length === 0 || portText.length > 5) return undefined;
  for (let i = 0; i < portText.length; i++) {
    const c = portText.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const port = Number(portText);
  return port >= minPort && port <= 65535 ? { host, port } : undefined;
}

/** Host names, IPv4 and IPv6 addresses: letters, digits, '.', '-', '_', ':', '%'. */
function isHostText(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2e ||
      c === 0x2d ||
      c === 0x5f ||
      c === 0x3a ||
      c === 0x25;
    if (!ok) return false;
  }
  return true;
}

/** Parses HOST:PORT (port 0-65535); throws CONFIG_INVALID naming the value otherwise. */
export function parseHostPort(value: string): HostPort {
  const parsed = tryParseHostPort(value);
  if (parsed === undefined) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `invalid address ${JSON.stringify(value)}: expected HOST:PORT, e.g. 127.0.0.1:8686`,
    );
  }
  return parsed;
}

/** "a:9092, b:9092" -> ["a:9092", "b:9092"]: one list item may hold several brokers. */
export function splitBrokers(item: string): string[] {
  return item.split(',').map((b) => b.trim());
}
