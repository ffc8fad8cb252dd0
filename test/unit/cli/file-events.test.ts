import t from 'tap';
import {
  chunkToEvents,
  eventId,
  fileEvents,
  type FileEventsContext,
} from '../../../src/cli/file-events.js';
import { PipelineCounters } from '../../../src/pipeline/counters.js';
import { createParser } from '../../../src/parse/index.js';
import type { FileChunk, RawLine } from '../../../src/sources/file/types.js';

function chunk(lines: (string | Buffer)[], truncated: number[] = []): FileChunk {
  const raw: RawLine[] = [];
  let offset = 1000;
  for (let i = 0; i < lines.length; i++) {
    const buf = Buffer.isBuffer(lines[i]) ? (lines[i] as Buffer) : Buffer.from(lines[i] as string);
    raw.push({ buf, start: 0, end: buf.length, offset, truncated: truncated.includes(i) });
    offset += buf.length + 1;
  }
  return {
    inputId: 'in',
    sourceId: 'abc123',
    path: '/logs/access.log',
    lines: raw,
    bytes: offset - 1000,
    endOffset: offset,
    ack: () => {},
  };
}

const context = (extra: Partial<FileEventsContext> = {}): FileEventsContext => ({
  parser: createParser({ format: 'combined' }),
  format: 'combined',
  host: { name: 'web-1' },
  tags: [],
  fields: undefined,
  ...extra,
});

const GOOD = '203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 503 12 "-" "curl/8"';

t.test('stamps id, file, offset and host; counts status classes and failures', async (t) => {
  const counters = new PipelineCounters();
  const events = chunkToEvents(chunk([GOOD, 'not a log line']), context(), counters);
  t.equal(events.length, 2);
  t.equal(events[0].event.id, eventId('abc123', 1000));
  t.same(events[0].log, { file: { path: '/logs/access.log' }, offset: 1000 });
  t.same(events[0].host, { name: 'web-1' });
  t.equal(events[1].log?.offset, 1000 + GOOD.length + 1);
  t.same(events[1].tags, ['_parse_failure']);
  t.type(events[1]['@timestamp'], 'string', 'an unparsed line gets the read time as @timestamp');
  t.equal(counters.parseFailures, 1);
  t.equal(counters.statusClasses[5], 1);
  t.equal(counters.linesRead, 2);
});

t.test(
  'truncated and invalid UTF-8 lines are tagged and counted; input tags and fields added',
  async (t) => {
    const counters = new PipelineCounters();
    const ctx = context({
      tags: ['edge'],
      fields: { service: { name: 'shop' }, http: { request: { method: 'NOPE' } } },
    });
    const events = chunkToEvents(chunk([GOOD, Buffer.from([0x41, 0xff])], [0]), ctx, counters);
    t.ok(events[0].tags?.includes('_truncated'));
    t.ok(events[0].tags?.includes('edge'));
    t.same(events[0].service, { name: 'shop' });
    t.equal(
      (events[0].http as { request: { method: string } }).request.method,
      'GET',
      'parsed values are never overwritten',
    );
    t.ok(events[1].tags?.includes('_invalid_utf8'));
    t.equal(counters.truncatedLines, 1);
    t.equal(counters.invalidUtf8Lines, 1);
  },
);

t.test(
  'a chunk becomes one batch: origin from the chunk, its ack acknowledges the chunk',
  async (t) => {
    let acked = 0;
    const c = { ...chunk([GOOD]), ack: () => acked++ };
    const batch = fileEvents(context(), new PipelineCounters())(c);
    t.same(batch.origin, { inputId: 'in', sourceId: 'abc123', format: 'combined' });
    t.equal(batch.bytes, c.bytes);
    t.equal(batch.events.length, 1);
    t.equal(acked, 0, 'not before the sink says so');
    batch.ack();
    t.equal(acked, 1);
  },
);
