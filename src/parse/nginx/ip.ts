// IP literal checks for `source.ip`: only a canonical IPv4 dotted quad or an
// IPv6 address (optionally ending in a dotted quad, no zone id) qualifies, so
// Elasticsearch's `ip` type never rejects what we send. Hand scanner, no regex.

/** True when `s[start, end)` is a dotted-quad IPv4 address without leading zeros. */
function isIPv4At(s: string, start: number, end: number): boolean {
  let parts = 0;
  let i = start;
  while (i <= end) {
    let v = 0;
    let n = 0;
    const first = i;
    while (i < end) {
      const c = s.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      n++;
      i++;
    }
    if (n === 0 || n > 3 || v > 255 || (n > 1 && s.charCodeAt(first) === 0x30)) return false;
    parts++;
    if (i === end) return parts === 4;
    if (s.charCodeAt(i) !== 0x2e || parts === 4) return false;
    i++;
  }
  return false;
}

export function isIPv4(s: string): boolean {
  return s.length >= 7 && s.length <= 15 && isIPv4At(s, 0, s.length);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function isIPv6(s: string): boolean {
  const end = s.length;
  if (end < 2 || end > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (s.charCodeAt(0) === 0x3a) {
    if (s.charCodeAt(1) !== 0x3a) return false;
    compressed = true;
    i = 2;
    if (i === end) return true;
  }
  while (i < end) {
    const first = i;
    while (i < end && i - first < 5 && isHex(s.charCodeAt(i))) i++;
    const n = i - first;
    if (i < end && s.charCodeAt(i) === 0x2e) {
      // Trailing dotted quad: counts as two groups and must end the address.
      if (!isIPv4At(s, first, end)) return false;
      groups += 2;
      break;
    }
    if (n === 0 || n > 4) return false;
    groups++;
    if (i === end) break;
    if (s.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (s.charCodeAt(i) === 0x3a) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  return compressed ? groups < 8 : groups === 8;
}

/** True when `s` is an IPv4 or IPv6 literal. */
export function isIP(s: string): boolean {
  return s.indexOf(':') === -1 ? isIPv4(s) : isIPv6(s);
}
