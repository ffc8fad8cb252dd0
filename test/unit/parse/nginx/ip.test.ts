import t from 'tap';
import { isIP } from 'node:net';
import { isIP as isIPLiteral } from '../../../../src/parse/nginx/ip.js';

t.test('accepts IPv4 and IPv6 literals', async (t) => {
  for (const ip of [
    '0.0.0.0', '127.0.0.1', '255.255.255.255', '192.0.2.1',
    '::', '::1', '1::', '2001:db8::1', '2001:0db8:0000:0000:0000:ff00:0042:8329',
    'fe80::200:f8ff:fe21:67cf', '::ffff:192.0.2.128', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:1.2.3.4', 'ABCD:EF01::1',
  ]) t.ok(isIPLiteral(ip), ip); // prettier-ignore
});

t.test('refuses everything else', async (t) => {
  for (const s of [
    '', '-', 'unix:', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 ',
    ' 1.2.3.4', '1..2.3', ':::', '1:::2', '1::2::3', '12345::', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '::1.2.3', '::1.2.3.4:1', 'g::1',
    '[::1]', '1.2.3.4:80',
  ]) t.notOk(isIPLiteral(s), s); // prettier-ignore
});

t.test('agrees with node:net on random near-addresses', async (t) => {
  let seed = 7;
  const next = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const hex = '0123456789abcdefABCDEF';
  const quad = () =>
    Array.from({ length: 3 + next(3) }, () => (next(8) === 0 ? '0' : '') + next(300)).join('.');
  let valid = 0;
  let disagreements = 0;
  for (let i = 0; i < 20000; i++) {
    let s: string;
    if (next(3) === 0) {
      s = quad();
    } else {
      const groups = Array.from({ length: 1 + next(9) }, () =>
        Array.from({ length: next(6) }, () => hex[next(hex.length)]).join(''),
      );
      s = groups.join(':');
      if (next(2) === 0) s = s.replace(':', '::');
      if (next(4) === 0) s += ':' + quad();
    }
    const ours = isIPLiteral(s);
    if (ours) valid++;
    if (ours !== (isIP(s) !== 0)) {
      disagreements++;
      t.comment(`disagree on ${s}`);
    }
  }
  t.equal(disagreements, 0);
  t.ok(valid > 300, `both outcomes exercised (${valid} valid)`);
});
