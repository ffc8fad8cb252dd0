// Glob patterns for file discovery: `*`, `?`, `[abc]`, `[a-z]`, `[!abc]`, `**`
// and `\` escapes. Compiled once into segment matchers; a name is matched by a
// linear scan with a single star restart point (no regex, no backtracking
// blow-up), and `**` is a state set walked over path segments (an NFA).

import path from 'node:path';

type Token =
  | { kind: 'char'; code: number }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negate: boolean; ranges: number[] };

type Segment =
  { kind: 'literal'; value: string } | { kind: 'pattern'; tokens: Token[] } | { kind: 'globstar' };

/** A set of positions in a pattern's segment list, sorted, without repeats. */
export type GlobState = readonly number[];

const SPECIAL = new Set(['*', '?', '[', '\\']);

function hasMagic(segment: string): boolean {
  for (const ch of segment) if (SPECIAL.has(ch)) return true;
  return false;
}

function unescape(segment: string): string {
  return segment.replace(/\\(.)/g, '$1');
}

function parseClass(s: string, start: number): { token: Token; next: number } | null {
  let i = start + 1;
  let negate = false;
  if (s[i] === '!' || s[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: number[] = [];
  let first = true;
  while (i < s.length && (s[i] !== ']' || first)) {
    first = false;
    let lo = s.charCodeAt(i);
    if (s[i] === '\\' && i + 1 < s.length) lo = s.charCodeAt(++i);
    i++;
    let hi = lo;
    if (s[i] === '-' && i + 1 < s.length && s[i + 1] !== ']') {
      i++;
      hi = s.charCodeAt(i);
      if (s[i] === '\\' && i + 1 < s.length) hi = s.charCodeAt(++i);
      i++;
    }
    ranges.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  if (i >= s.length) return null;
  return { token: { kind: 'class', negate, ranges }, next: i + 1 };
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length;) {
    const ch = segment[i];
    if (ch === '*') {
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'star')
        tokens.push({ kind: 'star' });
      i++;
    } else if (ch === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (ch === '[') {
      const parsed = parseClass(segment, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.next;
      } else {
        tokens.push({ kind: 'char', code: 0x5b });
        i++;
      }
    } else if (ch === '\\' && i + 1 < segment.length) {
      tokens.push({ kind: 'char', code: segment.charCodeAt(i + 1) });
      i += 2;
    } else {
      tokens.push({ kind: 'char', code: segment.charCodeAt(i) });
      i++;
    }
  }
  return tokens;
}

function matchOne(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'char':
      return token.code === code;
    case 'any':
      return true;
    case 'class': {
      let inside = false;
      for (let r = 0; r < token.ranges.length; r += 2) {
        if (code >= token.ranges[r] && code <= token.ranges[r + 1]) {
          inside = true;
          break;
        }
      }
      return inside !== token.negate;
    }
    default:
      return false;
  }
}

/**
 * Matches a name against tokens. Runs in O(name * tokens) at worst: on a
 * mismatch it only ever returns to the most recent star.
 */
function matchTokens(tokens: Token[], name: string): boolean {
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (t < tokens.length && token.kind === 'star') {
      starT = t++;
      starN = n;
    } else if (t < tokens.length && matchOne(token, name.charCodeAt(n))) {
      t++;
      n++;
    } else if (starT >= 0) {
      t = starT + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t].kind === 'star') t++;
  return t === tokens.length;
}

function compileSegment(segment: string): Segment {
  if (segment === '**') return { kind: 'globstar' };
  if (!hasMagic(segment)) return { kind: 'literal', value: segment };
  return { kind: 'pattern', tokens: tokenize(segment) };
}

function segmentMatches(segment: Segment, name: string): boolean {
  if (segment.kind === 'literal') return segment.value === name;
  if (segment.kind === 'globstar') return true;
  return matchTokens(segment.tokens, name);
}

/** One compiled pattern: a literal base directory and the segments below it. */
export class Glob {
  readonly pattern: string;
  /** The longest directory prefix without wildcards: where walking starts. */
  readonly base: string;
  readonly hasGlobstar: boolean;
  private readonly segments: Segment[];

  constructor(pattern: string, cwd = process.cwd()) {
    this.pattern = pattern;
    const absolute = pattern.startsWith('/') ? pattern : `${cwd.replace(/\/+$/, '')}/${pattern}`;
    const parts = absolute.split('/').filter((p) => p !== '' && p !== '.');
    let literal = 0;
    while (literal < parts.length - 1 && !hasMagic(parts[literal])) literal++;
    this.base = path.resolve('/', ...parts.slice(0, literal).map(unescape));
    this.segments = parts.slice(literal).map(compileSegment);
    this.hasGlobstar = this.segments.some((s) => s.kind === 'globstar');
  }

  /** Depth below `base` a watcher needs (Infinity with `**`). */
  get depth(): number {
    return this.hasGlobstar ? Infinity : this.segments.length - 1;
  }

  /** The state before any segment below `base` is consumed. */
  start(): GlobState {
    return this.closure([0]);
  }

  /** The state after consuming one path segment `name`. */
  step(state: GlobState, name: string): GlobState {
    const next: number[] = [];
    for (const i of state) {
      if (i >= this.segments.length) continue;
      const segment = this.segments[i];
      if (segment.kind === 'globstar') next.push(i);
      if (segmentMatches(segment, name)) next.push(i + 1);
    }
    return this.closure(next);
  }

  /** True when the consumed segments form a full match. */
  accepts(state: GlobState): boolean {
    return state.includes(this.segments.length);
  }

  /** True when more segments may still match below the consumed ones. */
  canDescend(state: GlobState): boolean {
    return state.some((i) => i < this.segments.length);
  }

  /** True when the state sits inside a `**` (directory symlinks are not followed there). */
  inGlobstar(state: GlobState): boolean {
    return state.some((i) => i < this.segments.length && this.segments[i].kind === 'globstar');
  }

  /** Whether an absolute, normalised path matches the whole pattern. */
  matches(filePath: string): boolean {
    const prefix = this.base === '/' ? '/' : `${this.base}/`;
    if (!filePath.startsWith(prefix)) return false;
    let state = this.start();
    let from = prefix.length;
    while (from <= filePath.length) {
      let to = filePath.indexOf('/', from);
      if (to === -1) to = filePath.length;
      if (to > from) state = this.step(state, filePath.slice(from, to));
      if (state.length === 0) return false;
      from = to + 1;
    }
    return this.accepts(state);
  }

  private closure(states: number[]): GlobState {
    const out = new Set<number>();
    for (let i of states) {
      out.add(i);
      while (i < this.segments.length && this.segments[i].kind === 'globstar') out.add(++i);
    }
    return [...out].sort((a, b) => a - b);
  }
}

/**
 * Include and exclude patterns together. An exclude with a `/` is matched
 * against the whole path; one without is matched against the file name only.
 */
export class GlobSet {
  readonly includes: Glob[];
  private readonly excludePaths: Glob[];
  private readonly excludeNames: Token[][];

  constructor(includes: string[], excludes: string[], cwd = process.cwd()) {
    this.includes = includes.map((p) => new Glob(p, cwd));
    this.excludePaths = excludes.filter((p) => p.includes('/')).map((p) => new Glob(p, cwd));
    this.excludeNames = excludes.filter((p) => !p.includes('/')).map(tokenize);
  }

  isExcluded(filePath: string): boolean {
    const name = filePath.slice(filePath.lastIndexOf('/') + 1);
    for (const tokens of this.excludeNames) if (matchTokens(tokens, name)) return true;
    for (const glob of this.excludePaths) if (glob.matches(filePath)) return true;
    return false;
  }

  /** True when the path matches an include and no exclude. */
  matches(filePath: string): boolean {
    if (!this.includes.some((g) => g.matches(filePath))) return false;
    return !this.isExcluded(filePath);
  }
}
