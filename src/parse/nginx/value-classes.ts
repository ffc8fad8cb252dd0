// What an nginx variable's value can look like in the log, as written by nginx
// (escaped by its log module): which characters it may contain, which it may
// start with, whether it is always the same width. The log_format compiler
// decides from these alone whether two adjacent variables can be told apart.

/**
 * A set of characters: one flag per ASCII code, index 128 standing for every
 * non-ASCII code unit. Read on the hot path as `set[c < 128 ? c : 128]`.
 */
export type CharSet = Uint8Array;

export interface ValueClass {
  /** What kind of value, for messages ("a host name"). */
  readonly what: string;
  /** Characters a value may contain. */
  readonly chars: CharSet;
  /** Characters a value may start with; '-' included when nginx may write '-' for it. */
  readonly first: CharSet;
  /** Characters the value always has (0: varies). */
  readonly width: number;
}

export const NON_ASCII = 128;

/** Builds a set from ranges like 'a-z0-9._'; a '-' meant literally comes first or last. */
function chars(spec: string, nonAscii = false): CharSet {
  const set = new Uint8Array(129);
  for (let i = 0; i < spec.length; i++) {
    const from = spec.charCodeAt(i);
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      const to = spec.charCodeAt(i + 2);
      for (let c = from; c <= to; c++) set[c] = 1;
      i += 2;
    } else {
      set[from] = 1;
    }
  }
  if (nonAscii) set[NON_ASCII] = 1;
  return set;
}

function without(set: CharSet, spec: string): CharSet {
  const out = set.slice();
  for (let i = 0; i < spec.length; i++) out[spec.charCodeAt(i)] = 0;
  return out;
}

function withDash(set: CharSet): CharSet {
  const out = set.slice();
  out[0x2d] = 1;
  return out;
}

function cls(what: string, c: CharSet, first: CharSet, width = 0): ValueClass {
  return { what, chars: c, first, width };
}

const ANY = chars('\x00-\x7f', true);
const DIGITS = chars('0-9');
const DECIMAL = chars('0-9.');
// Printable ASCII plus what nginx's escaping leaves in a value (`\x22`), or raw
// bytes under `escape=none`.
const PRINTABLE = chars(' -~', true);

/** A value nothing is known about: anything, starting with anything. */
export const TEXT: ValueClass = cls('text', ANY, ANY);

const INTEGER = cls('a number', DIGITS, DIGITS);
const SECONDS = cls('seconds with a fraction', DECIMAL, DIGITS);
const ADDRESS = cls('an address', chars('0-9a-zA-Z.:'), chars('0-9a-zA-Z:'));
const PORT = cls('a port number', DIGITS, DIGITS);
const METHOD = cls('a method', chars('A-Z_-'), chars('A-Z_-'));
// A request URI always starts with '/': nginx keeps only the path of an absolute
// target ("GET http://h/p") in $request_uri and refuses "*" and other targets.
// It writes '-' for these only after a request line it could not parse (a 400):
// left out of `first`, so `$host$request_uri` is readable; such a line then
// reads the '-' as the end of the host and finds no URI.
const URI = cls('a URI', PRINTABLE, chars('/'));
const SCHEME = cls('a scheme', chars('a-z'), chars('a-z'));
// nginx refuses a Host with '/' (a path separator), a space or a control character
// (since 1.21.1) before it becomes $host.
const HOST_CHARS = without(PRINTABLE, '/ ');
const HOST = cls('a host name', HOST_CHARS, HOST_CHARS);
const PROTOCOL = cls('a protocol', chars('A-Z0-9/.'), withDash(chars('H')));
const HEX32 = cls('32 hex digits', chars('0-9a-f'), chars('0-9a-f'), 32);
const TIME_LOCAL = cls('a local time', PRINTABLE, DIGITS, 26);
const TIME_ISO8601 = cls('an ISO 8601 time', PRINTABLE, DIGITS, 25);
const PIPE = cls('"p" or "."', chars('p.'), chars('p.'), 1);
const ON_OFF = cls('"on" or nothing', chars('no'), chars('o'));

/** Variables whose values nginx restricts; every other variable is TEXT. */
const CLASSES: ReadonlyMap<string, ValueClass> = new Map([
  ['remote_addr', ADDRESS],
  ['realip_remote_addr', ADDRESS],
  ['server_addr', ADDRESS],
  ['remote_port', PORT],
  ['realip_remote_port', PORT],
  ['server_port', PORT],
  ['time_local', TIME_LOCAL],
  ['time_iso8601', TIME_ISO8601],
  ['msec', SECONDS],
  ['request_time', SECONDS],
  ['request_method', METHOD],
  ['request_uri', URI],
  ['uri', URI],
  ['document_uri', URI],
  ['server_protocol', PROTOCOL],
  ['scheme', SCHEME],
  ['host', HOST],
  ['server_name', HOST],
  ['hostname', HOST],
  ['status', INTEGER],
  ['body_bytes_sent', INTEGER],
  ['bytes_sent', INTEGER],
  ['request_length', INTEGER],
  ['connection', INTEGER],
  ['connection_requests', INTEGER],
  ['pid', INTEGER],
  ['request_id', HEX32],
  ['pipe', PIPE],
  ['https', ON_OFF],
]);

export function valueClass(name: string): ValueClass {
  return CLASSES.get(name) ?? TEXT;
}

/**
 * The first character a value of `a` may contain that a value of `b` may start
 * with, or -1 when there is none: then `a` ends right where a character outside
 * its set begins, and a value of `a` followed by one of `b` splits one way only.
 */
export function overlap(a: ValueClass, b: ValueClass): number {
  for (let c = 0; c <= NON_ASCII; c++) {
    if (a.chars[c] === 1 && b.first[c] === 1) return c;
  }
  return -1;
}
