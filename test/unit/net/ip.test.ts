import t from 'tap';
import { isIP as nodeIsIP } from 'node:net';
import {
  forwardedAddress,
  ipBytes,
  isIP,
  isMappedV4,
  parseIp,
  v4Text,
} from '../../../src/net/ip.js';

function hex(text: string): string | undefined {
  const b = ipBytes();
  return parseIp(text, b) === 0 ? undefined : Buffer.from(b).toString('hex');
}

t.test('IPv4 becomes its IPv4-mapped IPv6 form', async (t) => {
  t.equal(hex('1.2.3.4'), '00000000000000000000ffff01020304');
  t.equal(hex('255.255.255.255'), '00000000000000000000ffffffffffff');
  t.equal(hex('::ffff:1.2.3.4'), hex('1.2.3.4'));
  const b = ipBytes();
  t.equal(parseIp('203.0.113.9', b), 4);
  t.ok(isMappedV4(b));
  t.equal(v4Text(b), '203.0.113.9');
});

t.test('IPv6 forms: compressed, full, embedded quad, upper case', async (t) => {
  t.equal(hex('::'), '0'.repeat(32));
  t.equal(hex('::1'), `${'0'.repeat(31)}1`);
  t.equal(hex('2001:db8::8a2e:370:7334'), '20010db80000000000008a2e03707334');
  t.equal(hex('2001:0DB8:0000:0000:0000:8A2E:0370:7334'), '20010db80000000000008a2e03707334');
  t.equal(hex('fe80::'), `fe80${'0'.repeat(28)}`);
  t.equal(hex('1:2:3:4:5:6:7::'), '00010002000300040005000600070000');
  t.equal(hex('::2:3:4:5:6:7:8'), '00000002000300040005000600070008');
  t.equal(hex('64:ff9b::192.0.2.33'), '0064ff9b0000000000000000c0000221');
  const b = ipBytes();
  t.equal(parseIp('2001:db8::1', b), 6);
  t.notOk(isMappedV4(b));
});

t.test('what is not an address is refused', async (t) => {
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.',
    '1..2.3',
    'a.b.c.d',
    ' 1.2.3.4',
    ':',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    '2001:db8::g',
    'fe80::1%eth0',
    '::1:',
    ':1::',
    '1:2:3:4:5:6:7:1.2.3.4',
    'unknown',
    'example.com',
  ]) {
    t.equal(hex(bad), undefined, JSON.stringify(bad));
  }
});

t.test('X-Forwarded-For items: bare, with a port, bracketed IPv6', async (t) => {
  const b = ipBytes();
  t.equal(forwardedAddress('203.0.113.9', b), '203.0.113.9');
  t.equal(forwardedAddress('203.0.113.9:51234', b), '203.0.113.9');
  t.equal(forwardedAddress('2001:db8::1', b), '2001:db8::1');
  t.equal(forwardedAddress('[2001:db8::1]', b), '2001:db8::1');
  t.equal(forwardedAddress('[2001:db8::1]:443', b), '2001:db8::1');
  t.equal(forwardedAddress('unknown', b), undefined);
  t.equal(forwardedAddress('[1.2.3.4]', b), undefined);
  t.equal(forwardedAddress('[2001:db8::1', b), undefined);
});

t.test('accepts IPv4 and IPv6 literals', async (t) => {
  for (const ip of [
    '0.0.0.0', '127.0.0.1', '255.255.255.255', '192.0.2.1',
    '::', '::1', '1::', '2001:db8::1', '2001:0db8:0000:0000:0000:ff00:0042:8329',
    'fe80::200:f8ff:fe21:67cf', '::ffff:192.0.2.128', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:1.2.3.4', 'ABCD:EF01::1',
  ]) t.ok(isIP(ip), ip); // prettier-ignore
});

t.test('refuses everything else', async (t) => {
  for (const s of [
    '', '-', 'unix:', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 ',
    ' 1.2.3.4', '1..2.3', ':::', '1:::2', '1::2::3', '12345::', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '::1.2.3', '::1.2.3.4:1', 'g::1',
    '[::1]', '1.2.3.4:80',
  ]) t.notOk(isIP(s), s); // prettier-ignore
});

/** A small deterministic generator, so a failure names an input that reproduces. */
function random(seed: number) {
  return (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
}

/** A valid address: a dotted quad, or eight hex groups with a run compressed and maybe a quad at the end. */
function validAddress(next: (n: number) => number): string {
  const quad = () => Array.from({ length: 4 }, () => next(256)).join('.');
  if (next(3) === 0) return quad();
  const hex = '0123456789abcdefABCDEF';
  const withQuad = next(4) === 0;
  const groups = Array.from({ length: withQuad ? 6 : 8 }, () =>
    Array.from({ length: 1 + next(4) }, () => hex[next(hex.length)]).join(''),
  );
  if (withQuad) groups.push(quad());
  if (next(2) === 0) {
    const from = next(groups.length - (withQuad ? 1 : 0));
    const count = 1 + next(groups.length - from - (withQuad ? 1 : 0));
    const head = groups.slice(0, from).join(':');
    const tail = groups.slice(from + count).join(':');
    return `${head}::${tail}`;
  }
  return groups.join(':');
}

/** Strings near the shape of an address: valid ones, hex and digit soups, and one-character edits of them. */
function nearAddress(next: (n: number) => number): string {
  let s: string;
  const kind = next(4);
  if (kind <= 1) s = validAddress(next);
  else if (kind === 2) {
    const quad = () =>
      Array.from({ length: 3 + next(3) }, () => (next(8) === 0 ? '0' : '') + next(300)).join('.');
    const hex = '0123456789abcdefABCDEF';
    const groups = Array.from({ length: 1 + next(9) }, () =>
      Array.from({ length: next(6) }, () => hex[next(hex.length)]).join(''),
    );
    s = groups.join(':');
    if (next(2) === 0) s = s.replace(':', '::');
    if (next(4) === 0) s += ':' + quad();
    if (next(3) === 0) s = quad();
  } else {
    const alphabet = '0123456789abcdefABCDEFg:.%[] ';
    s = Array.from({ length: next(20) }, () => alphabet[next(alphabet.length)]).join('');
  }
  if (next(3) === 0 && s.length > 0) {
    // One edit: drop, insert or replace a character.
    const at = next(s.length);
    const edit = next(3);
    const c = ':.0f%'[next(5)];
    s =
      edit === 0
        ? s.slice(0, at) + s.slice(at + 1)
        : s.slice(0, at) + c + s.slice(edit === 1 ? at : at + 1);
  }
  return s;
}

/**
 * node:net's answer, except for a zone id (`fe80::1%eth0`): node accepts it, we refuse it on
 * purpose, since Elasticsearch's `ip` type would reject the document.
 */
function expectedFamily(s: string): number {
  return s.indexOf('%') === -1 ? nodeIsIP(s) : 0;
}

t.test('agrees with node:net on many valid and invalid near-addresses', async (t) => {
  const next = random(7);
  const b = ipBytes();
  let valid = 0;
  let invalid = 0;
  let disagreements = 0;
  for (let i = 0; i < 50_000; i++) {
    const s = nearAddress(next);
    const expected = expectedFamily(s);
    const family = parseIp(s, b);
    if (isIP(s) !== (expected !== 0) || family !== expected) {
      if (disagreements++ < 20)
        t.fail(`disagree on ${JSON.stringify(s)}: node ${expected}, ours ${family}`);
    }
    if (expected === 0) invalid++;
    else valid++;
  }
  t.equal(disagreements, 0);
  t.ok(
    valid > 2_000 && invalid > 2_000,
    `both outcomes exercised (${valid} valid, ${invalid} not)`,
  );
});

t.test(
  'the bytes are the address: the canonical form node gives of it parses to the same bytes',
  async (t) => {
    const next = random(11);
    const ours = ipBytes();
    const canonical = ipBytes();
    let checked = 0;
    for (let i = 0; i < 50_000; i++) {
      const s = nearAddress(next);
      const family = expectedFamily(s);
      if (family === 0) continue;
      const host = new URL(family === 6 ? `http://[${s}]/` : `http://${s}/`).hostname;
      const text = family === 6 ? host.slice(1, -1) : host;
      parseIp(s, ours);
      parseIp(text, canonical);
      if (Buffer.compare(ours, canonical) !== 0) t.fail(`${s} and its canonical ${text} differ`);
      checked++;
    }
    t.ok(checked > 2_000, `${checked} addresses checked`);
  },
);
