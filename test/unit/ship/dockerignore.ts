// A .dockerignore matcher for the checks, after Docker's rules: patterns are
// relative to the context root, `*` and `?` stay within one path segment, `**`
// spans any number, a pattern that matches a directory excludes what is in it,
// `!` re-includes, and the last matching line wins.

function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        out += '(?:.*/)?';
      } else {
        out += '.*';
      }
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

function clean(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/** True when `path` (relative to the context root) is left out of the build context. */
export function dockerignoreExcludes(ignoreFile: string, path: string): boolean {
  const target = clean(path);
  const segments = target.split('/');
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const raw of ignoreFile.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const re = globToRegExp(clean(negated ? line.slice(1) : line));
    if (candidates.some((c) => re.test(c))) excluded = !negated;
  }
  return excluded;
}
