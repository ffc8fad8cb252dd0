import t from 'tap';
import {
  forwardedAddress,
  ipBytes,
  isMappedV4,
  parseIp,
  v4Text,
} from '../../../src/enrich/ip-address.js';

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
