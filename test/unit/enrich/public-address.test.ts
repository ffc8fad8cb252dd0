import t from 'tap';
import { ipBytes, parseIp } from '../../../src/net/ip.js';
import { isPublicAddress } from '../../../src/enrich/public-address.js';

function isPublic(ip: string): boolean {
  const b = ipBytes();
  if (parseIp(ip, b) === 0) throw new Error(ip);
  return isPublicAddress(b);
}

t.test('public unicast addresses', async (t) => {
  for (const ip of ['8.8.8.8', '1.1.1.1', '81.2.69.160', '2001:4860:4860::8888', '2a00:1450::1']) {
    t.ok(isPublic(ip), ip);
  }
  t.ok(isPublic('::ffff:8.8.8.8'), 'IPv4-mapped public');
});

t.test('private, loopback, link-local, shared, documentation, multicast, reserved', async (t) => {
  for (const ip of [
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '192.0.2.1',
    '198.51.100.23',
    '203.0.113.9',
    '198.18.0.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    'ff02::1',
    '2001:db8::1',
    '3fff::1',
    '::ffff:10.0.0.1',
  ]) {
    t.notOk(isPublic(ip), ip);
  }
  t.ok(isPublic('172.32.0.1'), 'just outside 172.16/12');
  t.ok(isPublic('100.128.0.1'), 'just outside 100.64/10');
});
