// Junk in nginx's log, appended by the test between normal requests under
// load: lines over 1 MiB, binary garbage, invalid UTF-8. Normal requests
// still arrive once each; every junk line arrives once, tagged, not lost.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eSkip, startCase, type InjectedLine } from './helpers/e2e-case.js';
import { verifyCase } from './helpers/verify.js';

const MIB = 1024 * 1024;

/** Random printable ASCII (hard to compress, like a huge token): no LF, no quote. */
function printable(n: number): Buffer {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) b[i] = 0x23 + (b[i] % 0x5b);
  return b;
}

/** Random bytes without LF or CR: one line of binary garbage. */
function garbage(n: number): Buffer {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) if (b[i] === 0x0a || b[i] === 0x0d) b[i] = 0x00;
  return b;
}

function junkBurst(name: string, burst: number): InjectedLine[] {
  const lines: InjectedLine[] = [];
  for (let i = 0; i < 2; i++) {
    const marker = `JUNK ${name} big ${burst}-${i} `;
    lines.push({
      raw: Buffer.concat([Buffer.from(marker), printable(MIB + 512 - marker.length)]),
      marker,
      tags: ['_parse_failure', '_truncated'],
    });
  }
  for (let i = 0; i < 2; i++) {
    const marker = `JUNK ${name} bin ${burst}-${i} `;
    lines.push({
      raw: Buffer.concat([Buffer.from(marker), garbage(4096)]),
      marker,
      tags: ['_invalid_utf8', '_parse_failure'],
    });
  }
  for (let i = 0; i < 2; i++) {
    const id = `/e2e/${name}/j${burst}-${i}`;
    const time = new Date()
      .toUTCString()
      .replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
    // Raw bytes nginx itself would have escaped: a lone continuation byte, a truncated
    // sequence, an overlong encoding, 0xFF.
    lines.push({
      raw: Buffer.concat([
        Buffer.from(`198.51.100.9 - - [${time}] "GET ${id}?q=`),
        Buffer.from([0x80, 0xc3, 0x28, 0xc0, 0xaf, 0xff]),
        Buffer.from(` HTTP/1.1" 200 5 "-" "ua `),
        Buffer.from([0xfe, 0xed]),
        Buffer.from(`" "-"`),
      ]),
      id,
      tags: ['_invalid_utf8'],
    });
  }
  return lines;
}

t.test(
  '1 MiB lines, binary garbage and invalid UTF-8 between requests',
  { skip: e2eSkip() },
  async (t) => {
    const c = await startCase(t, { name: 'junk-lines' });
    const load = c.load(18);
    for (let burst = 0; burst < 3; burst++) {
      await sleep(4_000);
      await c.inject(junkBurst(c.name, burst));
    }
    await load;
    await verifyCase(t, c, { since: Date.now() });
  },
);

// Kafka refuses a message over message.max.bytes (1 MB by default). A 1 MiB line
// of binary garbage is within max_line_bytes (1 MiB) but becomes about 3.5 MB of
// JSON (\xHH escapes): the Kafka output shrinks such an event (event.original cut,
// tagged _truncated) instead of stopping, so the line arrives and the rest goes on.
t.test(
  'a 1 MiB line of binary garbage arrives tagged and the agent goes on',
  { skip: e2eSkip() },
  async (t) => {
    const c = await startCase(t, { name: 'junk-binary-mib' });
    const load = c.load(8);
    await sleep(3_000);
    const marker = `JUNK ${c.name} bin-mib `;
    await c.inject([
      {
        raw: Buffer.concat([Buffer.from(marker), garbage(MIB - marker.length)]),
        marker,
        tags: ['_invalid_utf8', '_parse_failure'],
      },
    ]);
    await load;
    await verifyCase(t, c, {
      since: Date.now(),
      timeoutMs: 30_000,
    });
  },
);
