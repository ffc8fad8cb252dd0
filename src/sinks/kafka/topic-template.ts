// The Kafka topic of a batch: the configured name with {{format}} and {{input}}
// replaced from the batch's origin. Compiled once; each origin's topic is
// computed once and cached (inputs x formats is small), never per event.

import type { BatchOrigin } from '../../pipeline/batch.js';
import { ErrorCodes, LogpodError } from '../../errors.js';

const PLACEHOLDERS = { '{{format}}': 'format', '{{input}}': 'input' } as const;
type Placeholder = keyof typeof PLACEHOLDERS;

/** A literal piece of the template, or the name of the origin field to put there. */
type Piece = { literal: string } | { field: 'format' | 'input' };

export class TopicTemplate {
  /** The topic when the template has no placeholder: it can be checked before any event. */
  readonly fixed: string | undefined;
  private readonly pieces: readonly Piece[];
  private readonly cache = new Map<string, string>();

  constructor(readonly template: string) {
    this.pieces = compile(template);
    this.fixed = this.pieces.every((p) => 'literal' in p) ? template : undefined;
  }

  /** The topic for a batch of this origin. */
  resolve(origin: BatchOrigin | undefined): string {
    if (this.fixed !== undefined) return this.fixed;
    if (origin === undefined) {
      throw new LogpodError(
        ErrorCodes.OUTPUT_WRITE,
        `the Kafka topic "${this.template}" needs the input and format of each batch, and a batch came without them`,
      );
    }
    const cacheKey = origin.inputId + '\u0000' + origin.format;
    let topic = this.cache.get(cacheKey);
    if (topic === undefined) {
      topic = '';
      for (const piece of this.pieces) {
        if ('literal' in piece) topic += piece.literal;
        else topic += piece.field === 'format' ? origin.format : origin.inputId;
      }
      this.cache.set(cacheKey, topic);
    }
    return topic;
  }
}

function compile(template: string): Piece[] {
  const pieces: Piece[] = [];
  let from = 0;
  let literal = '';
  while (from < template.length) {
    const open = template.indexOf('{{', from);
    if (open < 0) break;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) break;
    const token = template.slice(open, close + 2);
    literal += template.slice(from, open);
    if (token in PLACEHOLDERS) {
      if (literal !== '') pieces.push({ literal });
      literal = '';
      pieces.push({ field: PLACEHOLDERS[token as Placeholder] });
    } else {
      literal += token;
    }
    from = close + 2;
  }
  literal += template.slice(from);
  if (literal !== '') pieces.push({ literal });
  return pieces;
}
