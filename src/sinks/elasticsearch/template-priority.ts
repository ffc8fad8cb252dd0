// The priority of logpod's index templates on a cluster that already has some
// (Fleet, Elastic Agent, other applications). Elasticsearch refuses a template
// whose patterns overlap another's at the same priority, and the higher
// priority wins where they overlap. So: unset, the priority is 200, or one
// above the highest overlapping template; a configured one that would tie is
// a config error naming the template it collides with.

import { ErrorCodes, LogpodError } from '../../errors.js';

/** A composable index template as GET _index_template lists it. */
export interface ExistingTemplate {
  name: string;
  patterns: readonly string[];
  /** Elasticsearch's default is 0. */
  priority: number;
  managedByLogpod: boolean;
}

/** The priority when nothing overlaps: above the built-in logs-*-* (100). */
export const DEFAULT_PRIORITY = 200;

/**
 * True when some index name matches both wildcard patterns (`*` any run of
 * characters, everything else literal). Memoised over (i, j): O(|a|·|b|) time,
 * no backtracking, whatever the patterns hold.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const n = a.length;
  const m = b.length;
  // seen[i * (m + 1) + j]: 0 unknown, 1 no, 2 yes.
  const seen = new Uint8Array((n + 1) * (m + 1));
  const stack: [number, number][] = [[0, 0]];
  // Depth-first search over reachable (i, j) states: reaching (n, m) means a common name.
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const k = i * (m + 1) + j;
    if (seen[k] !== 0) continue;
    seen[k] = 1;
    if (i === n && j === m) return true;
    const ca = i < n ? a.charCodeAt(i) : -1;
    const cb = j < m ? b.charCodeAt(j) : -1;
    if (ca === 42) {
      // a's star matches nothing more, or absorbs b's next character (or b's star's output).
      stack.push([i + 1, j]);
      if (j < m) stack.push([i, j + 1]);
    }
    if (cb === 42) {
      stack.push([i, j + 1]);
      if (i < n) stack.push([i + 1, j]);
    }
    if (ca !== 42 && cb !== 42 && ca !== -1 && ca === cb) stack.push([i + 1, j + 1]);
  }
  return false;
}

function overlapsAny(patterns: readonly string[], ours: readonly string[]): boolean {
  for (const p of patterns) for (const q of ours) if (patternsOverlap(p, q)) return true;
  return false;
}

/** The other templates whose patterns overlap `ours`, highest priority first. */
export function overlappingTemplates(
  existing: readonly ExistingTemplate[],
  ourNames: ReadonlySet<string>,
  ours: readonly string[],
): ExistingTemplate[] {
  return existing
    .filter((t) => !ourNames.has(t.name) && overlapsAny(t.patterns, ours))
    .sort((x, y) => y.priority - x.priority || x.name.localeCompare(y.name));
}

export interface PriorityChoice {
  priority: number;
  /** Overlapping templates that keep winning over ours (a configured priority below theirs). */
  outranked: ExistingTemplate[];
}

/**
 * The priority for logpod's templates (named `ourNames`, patterns `ours`).
 * Throws a config error when `configured` ties with an overlapping template.
 */
export function choosePriority(
  existing: readonly ExistingTemplate[],
  ourNames: ReadonlySet<string>,
  ours: readonly string[],
  configured: number | undefined,
): PriorityChoice {
  const overlapping = overlappingTemplates(existing, ourNames, ours);
  if (configured === undefined) {
    const highest = overlapping.length > 0 ? overlapping[0].priority : -1;
    return { priority: Math.max(DEFAULT_PRIORITY, highest + 1), outranked: [] };
  }
  const tie = overlapping.find((t) => t.priority === configured);
  if (tie !== undefined) {
    const above = overlapping[0].priority + 1;
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `output.elasticsearch.template.priority: ${configured} ties with the existing index template ` +
        `"${tie.name}" (patterns ${tie.patterns.join(', ')}, priority ${tie.priority}), which ` +
        `overlaps logpod's ${ours.join(', ')}; Elasticsearch refuses overlapping templates of equal ` +
        `priority. Set template.priority to ${above} or more for logpod's mappings to apply ` +
        `(or leave it unset to choose automatically), or to another value below ${tie.priority} ` +
        `to let "${tie.name}" win.`,
      { retryable: false },
    );
  }
  return { priority: configured, outranked: overlapping.filter((t) => t.priority > configured) };
}

/** GET _index_template's body read into ExistingTemplate values (unknown shapes skipped). */
export function parseTemplates(body: unknown): ExistingTemplate[] {
  const list = (body as { index_templates?: unknown } | null)?.index_templates;
  if (!Array.isArray(list)) return [];
  const out: ExistingTemplate[] = [];
  for (const entry of list as { name?: unknown; index_template?: Record<string, unknown> }[]) {
    const t = entry?.index_template;
    if (typeof entry?.name !== 'string' || t === undefined || t === null) continue;
    const raw = t.index_patterns;
    const patterns = (Array.isArray(raw) ? raw : [raw]).filter(
      (p): p is string => typeof p === 'string',
    );
    const priority = typeof t.priority === 'number' ? t.priority : 0;
    const meta = t._meta as { managed_by?: unknown } | undefined;
    out.push({
      name: entry.name,
      patterns,
      priority,
      managedByLogpod: meta?.managed_by === 'logpod',
    });
  }
  return out;
}
