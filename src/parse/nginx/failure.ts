// The event for a line that does not fit its format: never dropped, it keeps
// only the raw line, the dataset and the `_parse_failure` tag, so what such
// events look like does not depend on how far parsing got.

import { TAG_PARSE_FAILURE } from '../../pipeline/event.js';
import type { EcsEvent } from '../../pipeline/event.js';

export function parseFailure(line: string, dataset: string): EcsEvent {
  return { event: { original: line, dataset }, tags: [TAG_PARSE_FAILURE] };
}
