// Splits a byte stream (stdin) into lines for `logpod parse`: LF or CRLF,
// the last line even without a newline, and lines longer than the limit cut
// to it (the rest skipped) so memory never grows with a line's length.

export interface StreamLine {
  buf: Buffer;
  start: number;
  end: number;
  truncated: boolean;
}

export async function* splitLines(
  stream: AsyncIterable<Buffer>,
  maxLineBytes: number,
): AsyncGenerator<StreamLine[]> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let skipping = false;
  for await (const chunk of stream) {
    const lines: StreamLine[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(0x0a, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (!skipping) {
        const room = maxLineBytes - heldBytes;
        const take = Math.min(end - pos, room);
        if (take > 0) {
          held.push(chunk.subarray(pos, pos + take));
          heldBytes += take;
        }
        if (end - pos > room) skipping = true;
      }
      if (nl === -1) break;
      lines.push(finishLine(held, heldBytes, skipping));
      held = [];
      heldBytes = 0;
      skipping = false;
      pos = nl + 1;
    }
    // Held pieces reference `chunk`; copy them so the stream may reuse its buffer.
    if (held.length > 0) {
      const copy = Buffer.concat(held, heldBytes);
      held = [copy];
    }
    if (lines.length > 0) yield lines;
  }
  if (heldBytes > 0 || skipping) yield [finishLine(held, heldBytes, skipping)];
}

function finishLine(held: Buffer[], heldBytes: number, truncated: boolean): StreamLine {
  const buf = held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
  let end = buf.length;
  if (!truncated && end > 0 && buf[end - 1] === 0x0d) end--;
  return { buf, start: 0, end, truncated };
}
