// Where a document goes: a data stream or index name template compiled once into
// parts, then filled per document with the event's dataset and (for dated
// indices) the UTC date of its @timestamp. Names come out lowercase and safe.

export type TargetKind = 'data_stream' | 'index';

export interface Target {
  kind: TargetKind;
  template: string;
}

type Part = string | 0 | 1 | 2 | 3;
const DATASET = 0;
const YEAR = 1;
const MONTH = 2;
const DAY = 3;

const TOKENS: ReadonlyArray<[string, Part]> = [
  ['{{dataset}}', DATASET],
  ['%Y', YEAR],
  ['%m', MONTH],
  ['%d', DAY],
];

/** The dataset of an event without one. */
export const DEFAULT_DATASET = 'generic';

export class IndexNamer {
  private readonly parts: Part[];
  readonly dated: boolean;

  constructor(template: string) {
    this.parts = compile(template);
    this.dated = this.parts.some((p) => p === YEAR || p === MONTH || p === DAY);
  }

  /** The name for an event of `dataset` whose @timestamp is `timestamp` (fallbackMs when absent or invalid). */
  name(dataset: unknown, timestamp: unknown, fallbackMs: number): string {
    let date: Date | undefined;
    if (this.dated) {
      const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
      date = new Date(Number.isNaN(ms) ? fallbackMs : ms);
    }
    let out = '';
    for (const part of this.parts) {
      if (typeof part === 'string') out += part;
      else if (part === DATASET) out += safeDataset(dataset);
      else if (part === YEAR) out += String(date!.getUTCFullYear()).padStart(4, '0');
      else if (part === MONTH) out += String(date!.getUTCMonth() + 1).padStart(2, '0');
      else out += String(date!.getUTCDate()).padStart(2, '0');
    }
    return out;
  }
}

function compile(template: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  outer: while (i < template.length) {
    for (const [token, part] of TOKENS) {
      if (template.startsWith(token, i)) {
        if (literal !== '') parts.push(literal);
        literal = '';
        parts.push(part);
        i += token.length;
        continue outer;
      }
    }
    literal += template[i];
    i++;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/** Lowercase letters, digits, '.', '_' and '-'; anything else becomes '_'; at most 100 characters. */
export function safeDataset(dataset: unknown): string {
  if (typeof dataset !== 'string' || dataset === '') return DEFAULT_DATASET;
  const s = dataset.length > 100 ? dataset.slice(0, 100) : dataset;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x2d;
    out += ok ? String.fromCharCode(c) : '_';
  }
  return out;
}

/** The index pattern an index template needs to match every name of `template`. */
export function indexPattern(template: string): string {
  let out = '';
  for (const part of compile(template)) {
    const piece = typeof part === 'string' ? part : '*';
    if (piece === '*' && out.endsWith('*')) continue;
    out += piece;
  }
  return out;
}

/** A template name derived from the pattern when the user gives none. */
export function defaultTemplateName(pattern: string): string {
  return `logpod-${pattern.replaceAll('*', 'x')}`;
}

/** One index template's target: the dataset it is for (undefined: the target has no {{dataset}}). */
export interface TemplateTarget {
  dataset: string | undefined;
  pattern: string;
}

/**
 * The patterns logpod's templates need for `template` and the `datasets` it writes: one
 * per dataset, matching only that dataset's names, so streams of other applications are
 * never captured. A data stream named `<type>-{{dataset}}-<namespace>` (Elastic's scheme)
 * gets `<type>-<dataset>-*`, every namespace of the dataset, as Elastic's own templates do.
 */
export function templateTargets(
  template: string,
  kind: TargetKind,
  datasets: readonly string[],
): TemplateTarget[] {
  if (!template.includes('{{dataset}}')) {
    return [{ dataset: undefined, pattern: indexPattern(template) }];
  }
  const at = template.lastIndexOf('{{dataset}}-');
  const namespace = at === -1 ? '' : template.slice(at + '{{dataset}}-'.length);
  const scheme =
    kind === 'data_stream' &&
    namespace !== '' &&
    !namespace.includes('-') &&
    !namespace.includes('{') &&
    !namespace.includes('%');
  const base = scheme ? `${template.slice(0, at)}{{dataset}}-*` : template;
  const seen = new Set<string>();
  const out: TemplateTarget[] = [];
  for (const dataset of datasets) {
    const pattern = indexPattern(base.replaceAll('{{dataset}}', safeDataset(dataset)));
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    out.push({ dataset, pattern });
  }
  return out;
}
