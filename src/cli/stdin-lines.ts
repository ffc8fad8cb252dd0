// Splits a byte stream (stdin) into lines for `logpod parse`, with the same
// LineFramer the file input uses: LF or CRLF, lines longer than the limit cut
// to it (the rest skipped), and the last line even without a newline.

import { LineFramer } from '../sources/file/framer.js';
import { newCounters, type RawLine } from '../sources/file/types.js';

export async function* splitLines(
  stream: AsyncIterable<Buffer>,
  maxLineBytes: number,
): AsyncGenerator<RawLine[]> {
  const framer = new LineFramer(maxLineBytes, newCounters());
  let offset = 0;
  for await (const chunk of stream) {
    const lines: RawLine[] = [];
    // The framer copies what it keeps, so the stream may reuse its buffer.
    framer.push(chunk, offset, lines);
    offset += chunk.length;
    if (lines.length > 0) yield lines;
  }
  const last: RawLine[] = [];
  if (framer.flushPartial(last)) {
    // At the end of the stream a final CR is the first half of a CRLF, not content.
    const line = last[0];
    if (!line.truncated && line.end > line.start && line.buf[line.end - 1] === 0x0d) line.end--;
    yield last;
  }
}
