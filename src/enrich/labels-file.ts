// The Kubernetes downward API's labels/annotations file: one `key="value"`
// a line, the value quoted the way Go's %q writes it (\" \\ \n \t, \xHH
// bytes, \uHHHH, \UHHHHHHHH, octal \ooo). Hand scanner; lines that do not
// fit are skipped and counted, never fatal.

export interface LabelsFile {
  labels: Map<string, string>;
  /** Lines that were not `key="value"`. */
  skipped: number;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
};

function hexDigits(s: string, from: number, count: number): number {
  if (from + count > s.length) return -1;
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    const h =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : c >= 0x41 && c <= 0x46
            ? c - 0x37
            : -1;
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/**
 * The text of the Go-quoted string `s` (with its quotes), or undefined when
 * it is not one. Escaped bytes (\xHH, octal) are decoded as UTF-8 together.
 */
export function unquoteGo(s: string): string | undefined {
  if (s.length < 2 || s.charCodeAt(0) !== 0x22 || s.charCodeAt(s.length - 1) !== 0x22) {
    return undefined;
  }
  const end = s.length - 1;
  if (s.indexOf('\\', 1) === -1) return s.indexOf('"', 1) === end ? s.slice(1, end) : undefined;
  const bytes: number[] = [];
  let i = 1;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return undefined;
    if (c !== 0x5c) {
      const cp = s.codePointAt(i) as number;
      for (const byte of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(byte);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined || i + 1 >= end) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === 'x') {
      const v = hexDigits(s, i + 2, 2);
      if (v < 0) return undefined;
      bytes.push(v);
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const v = hexDigits(s, i + 2, n);
      if (v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      for (const byte of Buffer.from(String.fromCodePoint(v), 'utf8')) bytes.push(byte);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      let v = 0;
      for (let k = 1; k <= 3; k++) {
        const d = s.charCodeAt(i + k) - 0x30;
        if (d < 0 || d > 7) return undefined;
        v = v * 8 + d;
      }
      if (v > 255) return undefined;
      bytes.push(v);
      i += 4;
    } else {
      return undefined;
    }
    if (i > end) return undefined;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses the file's text; later duplicates of a key win. */
export function parseLabelsFile(text: string): LabelsFile {
  const labels = new Map<string, string>();
  let skipped = 0;
  let from = 0;
  while (from < text.length) {
    let nl = text.indexOf('\n', from);
    if (nl === -1) nl = text.length;
    let line = text.slice(from, nl);
    from = nl + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = key === '' ? undefined : unquoteGo(line.slice(eq + 1).trim());
    if (value === undefined) skipped++;
    else labels.set(key, value);
  }
  return { labels, skipped };
}
