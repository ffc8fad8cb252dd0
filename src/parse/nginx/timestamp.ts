// nginx times to `@timestamp` (UTC, milliseconds, ISO 8601). Digits are read by
// hand and each parser instance caches its last input second: consecutive log
// lines share it, so the common case is one string compare and no Date work.

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

/** Reads `n` decimal digits at `i`; -1 if any is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** Epoch ms of a local wall-clock time at `offsetMin` east of UTC; NaN if invalid. */
function epochMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  offsetMin: number,
): number {
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  if (s < 0 || s > 59 || d > daysInMonth(y, mo)) return NaN;
  const ms = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi - offsetMin) * 60000 + s * 1000;
  return ms < MIN_MS || ms > MAX_MS ? NaN : ms;
}

/** `+HH:MM`, `-HHMM`, `+HH`, `Z` or `UTC` to minutes east of UTC; NaN if invalid. */
export function parseOffset(s: string, i = 0): number {
  const rest = s.length - i;
  if (rest === 1 && s.charCodeAt(i) === 0x5a) return 0;
  if (rest === 3 && s.startsWith('UTC', i)) return 0;
  const sign = s.charCodeAt(i);
  if (sign !== 0x2b && sign !== 0x2d) return NaN;
  let h: number;
  let m: number;
  if (rest === 3) {
    h = digits(s, i + 1, 2);
    m = 0;
  } else if (rest === 5) {
    h = digits(s, i + 1, 2);
    m = digits(s, i + 3, 2);
  } else if (rest === 6 && s.charCodeAt(i + 3) === 0x3a) {
    h = digits(s, i + 1, 2);
    m = digits(s, i + 4, 2);
  } else {
    return NaN;
  }
  if (h < 0 || m < 0 || h > 23 || m > 59) return NaN;
  return (sign === 0x2d ? -1 : 1) * (h * 60 + m);
}

function iso(ms: number): string | undefined {
  return ms === ms ? new Date(ms).toISOString() : undefined;
}

/** Per-parser cache of the last time seen for each nginx time variable. */
export class TimeParser {
  private localIn = '';
  private localOut: string | undefined;
  private isoIn = '';
  private isoOut: string | undefined;
  private msecIn = '';
  private msecPrefix: string | undefined;
  private errorIn = '';
  private errorOut: string | undefined;

  /** @param offsetMin zone of times that carry none (error log): minutes east of UTC */
  constructor(private readonly offsetMin: number) {}

  /** `$time_local`: `10/Oct/2000:13:55:36 -0700`. */
  timeLocal(s: string): string | undefined {
    if (s === this.localIn) return this.localOut;
    let out: string | undefined;
    if (s.length === 26 && s.charCodeAt(2) === 0x2f && s.charCodeAt(6) === 0x2f) {
      const mon = MONTHS.indexOf(s.slice(3, 6));
      const ok = mon >= 0 && mon % 3 === 0 && s.charCodeAt(11) === 0x3a;
      const sep = s.charCodeAt(14) === 0x3a && s.charCodeAt(17) === 0x3a;
      if (ok && sep && s.charCodeAt(20) === 0x20) {
        const y = digits(s, 7, 4);
        const d = digits(s, 0, 2);
        const h = digits(s, 12, 2);
        const mi = digits(s, 15, 2);
        const sec = digits(s, 18, 2);
        out = iso(epochMs(y, mon / 3 + 1, d, h, mi, sec, parseOffset(s, 21)));
      }
    }
    this.localIn = s;
    this.localOut = out;
    return out;
  }

  /** `$time_iso8601` (`2000-10-10T13:55:36-07:00`), also with a fraction or `Z`. */
  iso8601(s: string): string | undefined {
    if (s === this.isoIn) return this.isoOut;
    this.isoIn = s;
    this.isoOut = this.isoLike(s, 0x2d, 0x54);
    return this.isoOut;
  }

  /** Error log time, `2024/01/02 03:04:05`, in the configured zone. */
  errorTime(s: string): string | undefined {
    if (s === this.errorIn) return this.errorOut;
    this.errorIn = s;
    this.errorOut = s.length === 19 ? this.isoLike(s, 0x2f, 0x20) : undefined;
    return this.errorOut;
  }

  /** `$msec`: epoch seconds with a fraction, `1700000000.123`. */
  msec(s: string): string | undefined {
    const dot = s.indexOf('.');
    const intLen = dot === -1 ? s.length : dot;
    if (intLen < 1 || intLen > 12) return undefined;
    let msPart = 0;
    if (dot !== -1) {
      const fracLen = s.length - dot - 1;
      if (fracLen < 1 || fracLen > 9) return undefined;
      const f = digits(s, dot + 1, fracLen < 3 ? fracLen : 3);
      if (f < 0 || (fracLen > 3 && digits(s, dot + 4, fracLen - 3) < 0)) return undefined;
      msPart = fracLen === 1 ? f * 100 : fracLen === 2 ? f * 10 : f;
    }
    const ms3 = msPart < 10 ? '00' + msPart : msPart < 100 ? '0' + msPart : '' + msPart;
    if (intLen === this.msecIn.length && s.startsWith(this.msecIn)) {
      return this.msecPrefix === undefined ? undefined : this.msecPrefix + ms3 + 'Z';
    }
    const sec = digits(s, 0, intLen);
    const full = sec < 0 || sec * 1000 > MAX_MS ? undefined : iso(sec * 1000);
    this.msecIn = s.slice(0, intLen);
    this.msecPrefix = full === undefined ? undefined : full.slice(0, 20);
    return this.msecPrefix === undefined ? undefined : this.msecPrefix + ms3 + 'Z';
  }

  /** `YYYY?MM?DD?HH:MM:SS[.fff][zone]` with the given date and date/time separators. */
  private isoLike(s: string, dateSep: number, timeSep: number): string | undefined {
    if (s.length < 19 || s.charCodeAt(4) !== dateSep || s.charCodeAt(7) !== dateSep) {
      return undefined;
    }
    const t = s.charCodeAt(10);
    if ((t !== timeSep && t !== 0x20) || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) {
      return undefined;
    }
    let i = 19;
    let ms = 0;
    if (s.charCodeAt(i) === 0x2e || s.charCodeAt(i) === 0x2c) {
      let n = 0;
      i++;
      while (i < s.length && n < 9) {
        const c = s.charCodeAt(i) - 0x30;
        if (c < 0 || c > 9) break;
        if (n < 3) ms = ms * 10 + c;
        n++;
        i++;
      }
      if (n === 0) return undefined;
      if (n < 3) ms *= n === 1 ? 100 : 10;
    }
    const offset = i === s.length ? this.offsetMin : parseOffset(s, i);
    const y = digits(s, 0, 4);
    const at = epochMs(
      y,
      digits(s, 5, 2),
      digits(s, 8, 2),
      digits(s, 11, 2),
      digits(s, 14, 2),
      digits(s, 17, 2),
      offset,
    );
    return iso(at + ms);
  }
}
