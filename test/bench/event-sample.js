// The events the baselines send: the first lines of the generated log, run
// through logpod's own line-to-event stage and encoder, so a bare producer or
// bare bulk loader ships exactly the bytes the agent would (same sizes, same
// compressibility) without paying for reading or parsing.

import { openSync, readSync, closeSync } from 'node:fs';
import { createParser } from '../../dist/parse/index.js';
import { encodeEvent } from '../../dist/pipeline/encode.js';
import { chunkToEvents } from '../../dist/cli/file-events.js';
import { PipelineCounters } from '../../dist/pipeline/counters.js';
import { buildConfig } from '../../dist/config/load.js';
import { buildEnrichStage } from '../../dist/enrich/event-stage.js';
import { createLogger } from '../../dist/logger.js';

/** Up to `count` encoded events (JSON strings) from the start of `path`. */
export function sampleEvents(path, count, format = 'main') {
  return sampleEventObjects(path, count, format).map(encodeEvent);
}

/**
 * The same events after the writer's enrichment (GeoIP and user agent, the writer's
 * defaults): what the writer indexes, for a bare _bulk loader to send as is.
 */
export async function sampleEnrichedEvents(path, count, format = 'main') {
  const config = buildConfig(
    { inputs: [{ paths: [path] }], output: { stdout: {} }, data_dir: '/tmp' },
    'bench',
    'writer',
  );
  const { stage } = await buildEnrichStage(config.enrich, createLogger('warn', 2), {});
  const events = sampleEventObjects(path, count, format);
  stage?.process(events);
  return events.map(encodeEvent);
}

function sampleEventObjects(path, count, format) {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(Math.min(count * 400, 64 << 20));
  let size;
  try {
    size = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const lines = [];
  let start = 0;
  for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < size && lines.length < count;) {
    lines.push({ buf, start, end: nl, offset: start, truncated: false });
    start = nl + 1;
    nl = buf.indexOf(10, start);
  }
  const chunk = {
    inputId: 'bench',
    sourceId: 'bench-sample',
    path,
    lines,
    bytes: start,
    endOffset: start,
    ack() {},
  };
  const context = {
    parser: createParser({ format }),
    format,
    host: { name: 'bench' },
    tags: [],
    fields: undefined,
  };
  return chunkToEvents(chunk, context, new PipelineCounters());
}
