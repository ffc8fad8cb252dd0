import t from 'tap';
import { CidrSet, invalidCidrs, parseCidr } from '../../../src/net/cidr.js';

t.test('IPv4 blocks match IPv4 and IPv4-mapped IPv6 addresses', async (t) => {
  const set = new CidrSet(['10.0.0.0/8', '192.168.1.0/24', '172.16.0.0/12', '203.0.113.7']);
  for (const ip of ['10.0.0.1', '10.255.255.255', '192.168.1.200', '172.31.0.1', '203.0.113.7']) {
    t.ok(set.has(ip), ip);
  }
  t.ok(set.has('::ffff:10.1.2.3'));
  for (const ip of ['11.0.0.1', '192.168.2.1', '172.32.0.1', '203.0.113.8', '9.255.255.255']) {
    t.notOk(set.has(ip), ip);
  }
});

t.test('IPv6 blocks, odd prefix lengths, /0', async (t) => {
  const set = new CidrSet(['2001:db8::/32', 'fd00::/8', '2a00:1450:4001:80b::/63']);
  t.ok(set.has('2001:db8:ffff::1'));
  t.ok(set.has('fd12:3456::1'));
  t.ok(set.has('2a00:1450:4001:80a::1'), 'a /63 from 80b covers 80a and 80b');
  t.ok(set.has('2a00:1450:4001:80b::1'));
  t.notOk(set.has('2a00:1450:4001:80c::1'));
  t.notOk(set.has('2001:db9::1'));
  t.notOk(set.has('10.0.0.1'), 'an IPv6 block does not catch IPv4');
  t.ok(new CidrSet(['::/0']).has('8.8.8.8'), '::/0 is everything');
  t.ok(new CidrSet(['0.0.0.0/0']).has('8.8.8.8'));
  t.notOk(new CidrSet(['0.0.0.0/0']).has('2001:db8::1'), '0.0.0.0/0 is IPv4 only');
});

t.test('host bits are cleared; a single address is a /32 or /128', async (t) => {
  t.same(parseCidr('10.1.2.3/8')?.prefix, 104);
  t.ok(new CidrSet(['10.1.2.3/8']).has('10.200.0.1'));
  t.equal(parseCidr('2001:db8::1')?.prefix, 128);
  t.equal(parseCidr('1.2.3.4')?.prefix, 128);
});

t.test('unix: and what is refused', async (t) => {
  const set = new CidrSet(['unix:', '127.0.0.1']);
  t.ok(set.has('unix:'));
  t.notOk(new CidrSet(['127.0.0.1']).has('unix:'));
  t.same(
    invalidCidrs(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', 'x', '10/8', 'unix:']),
    ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', 'x', '10/8'],
  );
  t.throws(() => new CidrSet(['10.0.0.0/8', 'nope']), /nope/);
  t.notOk(set.has('not an ip'));
});
