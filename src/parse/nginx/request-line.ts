// Splits an HTTP request line (`GET /a?b=1 HTTP/1.1`) and a request target into
// their parts with indexOf only. Results go into caller-owned scratch objects
// so the hot path allocates nothing but the substrings it keeps.

export interface RequestLine {
  method: string;
  target: string;
  /** Without `HTTP/`; '' when the line had no protocol (`GET /`). */
  version: string;
}

export interface TargetParts {
  /** undefined when the target has no path (e.g. `http://host` or `*`). */
  path: string | undefined;
  /** Without the `?`; undefined when absent or empty. */
  query: string | undefined;
}

const MAX_METHOD_LENGTH = 32;
const SPACE = 0x20;

function isMethodChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2d
  );
}

/**
 * Reads `METHOD SP target [SP HTTP/x.y]` as nginx's own parser does: one or
 * more spaces after the method, before the protocol and after it; spaces
 * inside the target kept (nginx before 1.21.1 accepted `GET /a b HTTP/1.0`).
 * Returns false (leaving `out` in an unspecified state) when the text is not a
 * request line: binary, a TLS handshake, an empty target.
 */
export function splitRequestLine(s: string, out: RequestLine): boolean {
  // nginx accepts spaces after the version and logs them in $request.
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === SPACE) len--;
  const sp1 = s.indexOf(' ');
  if (sp1 <= 0 || sp1 > MAX_METHOD_LENGTH) return false;
  for (let i = 0; i < sp1; i++) {
    if (!isMethodChar(s.charCodeAt(i))) return false;
  }
  let from = sp1 + 1;
  while (from < len && s.charCodeAt(from) === SPACE) from++;
  if (from >= len) return false;
  out.method = s.slice(0, sp1);
  const sp2 = s.lastIndexOf(' ', len - 1);
  if (sp2 > from && sp2 + 6 < len && s.startsWith('HTTP/', sp2 + 1)) {
    let to = sp2;
    while (s.charCodeAt(to - 1) === SPACE) to--;
    out.target = s.slice(from, to);
    out.version = s.slice(sp2 + 6, len);
  } else {
    out.target = s.slice(from, len);
    out.version = '';
  }
  return true;
}

/** Splits a request target into path and query. */
export function splitTarget(target: string, out: TargetParts): void {
  const q = target.indexOf('?');
  const base = q === -1 ? target : target.slice(0, q);
  out.query = q === -1 || q === target.length - 1 ? undefined : target.slice(q + 1);
  if (base.charCodeAt(0) === 0x2f) {
    out.path = base;
    return;
  }
  // Absolute form (proxies): scheme://host/path.
  const scheme = base.indexOf('://');
  if (scheme > 0) {
    const slash = base.indexOf('/', scheme + 3);
    out.path = slash === -1 ? undefined : base.slice(slash);
    return;
  }
  out.path = base === '' ? undefined : base;
}

/** `HTTP/1.1` to `1.1`; anything else is returned as is. */
export function protocolVersion(p: string): string {
  return p.startsWith('HTTP/') && p.length > 5 ? p.slice(5) : p;
}
