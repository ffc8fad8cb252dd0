// IP addresses as text, scanned by hand (no regex, no backtracking): the one
// scanner behind `source.ip` (parse), trusted proxies and GeoIP (enrich) and
// the config's CIDR lists. An address becomes 16 bytes; IPv4 is written in its
// IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one CIDR matcher serves both
// families. Strict, as node's net.isIP: no leading zeros in a quad, no zone
// ids, no hostnames; so Elasticsearch's `ip` type never refuses what passes.

/** A 16-byte address buffer; IPv4 addresses are stored as ::ffff:a.b.c.d. */
export type IpBytes = Uint8Array;

export function ipBytes(): IpBytes {
  return new Uint8Array(16);
}

/** The value of the dotted quad `s[start, end)`, or -1 when it is not one. */
function parseQuad(s: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (i < end) {
    const first = i;
    let part = 0;
    while (i < end && i - first < 4) {
      const d = s.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      part = part * 10 + d;
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || part > 255) return -1;
    if (digits > 1 && s.charCodeAt(first) === 0x30) return -1;
    value = value * 256 + part;
    parts++;
    if (i === end) break;
    if (s.charCodeAt(i) !== 0x2e || parts === 4) return -1;
    i++;
    if (i === end) return -1;
  }
  return parts === 4 ? value : -1;
}

function writeMapped(out: IpBytes, v4: number): void {
  out.fill(0, 0, 10);
  out[10] = 0xff;
  out[11] = 0xff;
  out[12] = (v4 >>> 24) & 0xff;
  out[13] = (v4 >>> 16) & 0xff;
  out[14] = (v4 >>> 8) & 0xff;
  out[15] = v4 & 0xff;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

const groups = new Uint16Array(8);

/** Scans IPv6 text; writes the bytes into `out` unless it is undefined (a check only). */
function parseV6(s: string, start: number, end: number, out: IpBytes | undefined): boolean {
  const n = end - start;
  if (n < 2 || n > 45) return false;
  let count = 0;
  let gap = -1;
  let i = start;
  if (s.charCodeAt(i) === 0x3a) {
    if (s.charCodeAt(i + 1) !== 0x3a) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    const first = i;
    let value = 0;
    while (i < end && i - first < 5) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 0x2e) {
      // An embedded dotted quad ends the address and fills two groups.
      const v4 = count <= 6 ? parseQuad(s, first, end) : -1;
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (i === first || i - first > 4 || count === 8) return false;
    groups[count++] = value;
    if (i === end) break;
    if (s.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 0x3a) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap === -1 ? count !== 8 : count > 7) return false;
  if (out === undefined) return true;
  const head = gap === -1 ? count : gap;
  out.fill(0);
  for (let g = 0; g < head; g++) {
    out[2 * g] = groups[g] >>> 8;
    out[2 * g + 1] = groups[g] & 0xff;
  }
  const tail = count - head;
  for (let g = 0; g < tail; g++) {
    const at = 8 - tail + g;
    out[2 * at] = groups[head + g] >>> 8;
    out[2 * at + 1] = groups[head + g] & 0xff;
  }
  return true;
}

/**
 * Parses the address `s[start, end)` into `out`. Returns 4 for a dotted quad,
 * 6 for IPv6 text (an IPv4-mapped one included), 0 when it is not an address.
 */
export function parseIpRange(s: string, start: number, end: number, out: IpBytes): 0 | 4 | 6 {
  const colon = s.indexOf(':', start);
  if (colon !== -1 && colon < end) return parseV6(s, start, end, out) ? 6 : 0;
  const v4 = end - start <= 15 ? parseQuad(s, start, end) : -1;
  if (v4 < 0) return 0;
  writeMapped(out, v4);
  return 4;
}

export function parseIp(s: string, out: IpBytes): 0 | 4 | 6 {
  return parseIpRange(s, 0, s.length, out);
}

/**
 * True when `s` is an IPv4 or IPv6 literal (what node's net.isIP accepts, zone ids
 * excepted). The same scan as parseIp without writing bytes: it runs on every event.
 */
export function isIP(s: string): boolean {
  const end = s.length;
  if (s.indexOf(':') !== -1) return parseV6(s, 0, end, undefined);
  return end <= 15 && parseQuad(s, 0, end) >= 0;
}

/** True when the bytes hold an IPv4 address (::ffff:a.b.c.d). */
export function isMappedV4(b: IpBytes): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** The dotted quad of an IPv4 address held as ::ffff:a.b.c.d. */
export function v4Text(b: IpBytes): string {
  return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
}

/**
 * The address in an X-Forwarded-For item: a bare address, `a.b.c.d:port`,
 * `[v6]` or `[v6]:port`. Returns the address text, or undefined.
 */
export function forwardedAddress(item: string, out: IpBytes): string | undefined {
  let start = 0;
  let end = item.length;
  if (item.charCodeAt(0) === 0x5b /* [ */) {
    const close = item.indexOf(']');
    if (close === -1) return undefined;
    start = 1;
    end = close;
    if (parseIpRange(item, start, end, out) !== 6) return undefined;
  } else {
    const colon = item.indexOf(':');
    if (colon !== -1 && item.indexOf(':', colon + 1) === -1) end = colon;
    if (parseIpRange(item, start, end, out) === 0) return undefined;
  }
  return start === 0 && end === item.length ? item : item.slice(start, end);
}
