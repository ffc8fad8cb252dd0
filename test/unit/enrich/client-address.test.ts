import t from 'tap';
import { CidrSet } from '../../../src/net/cidr.js';
import { ClientAddressEnricher } from '../../../src/enrich/client-address.js';
import { createParser } from '../../../src/parse/index.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const enricher = new ClientAddressEnricher(
  new CidrSet(['10.0.0.0/8', '192.168.0.0/16', '2001:db8:1::/48', 'unix:']),
);

function event(peer: string, xff?: string[]): EcsEvent {
  const ev: EcsEvent = { event: { original: 'x' }, source: { address: peer, ip: peer } };
  if (xff !== undefined) ev.nginx = { access: { remote_ip_list: xff } };
  return ev;
}

function resolve(peer: string, xff?: string[]) {
  const ev = event(peer, xff);
  enricher.enrich(ev);
  const source = ev.source as { ip?: string; address?: string };
  const access = (ev.nginx as { access?: { peer_ip?: string } } | undefined)?.access;
  return { ip: source.ip, address: source.address, peer: access?.peer_ip };
}

t.test('one trusted proxy: the client is the address it forwarded', async (t) => {
  t.same(resolve('10.0.0.5', ['81.2.69.160']), {
    ip: '81.2.69.160',
    address: '81.2.69.160',
    peer: '10.0.0.5',
  });
});

t.test(
  'a chain: trusted hops are skipped from the right, the first untrusted is the client',
  async (t) => {
    t.same(resolve('10.0.0.5', ['81.2.69.160', '192.168.1.1', '10.1.1.1']).ip, '81.2.69.160');
    // The leftmost entries were written by the client itself: only the right part is believed.
    t.same(resolve('10.0.0.5', ['1.2.3.4', '81.2.69.160', '10.1.1.1']).ip, '81.2.69.160');
  },
);

t.test('a spoofed X-Forwarded-For from an untrusted peer is ignored', async (t) => {
  t.same(resolve('81.2.69.160', ['1.1.1.1']), {
    ip: '81.2.69.160',
    address: '81.2.69.160',
    peer: undefined,
  });
  // Sent straight to nginx by a client pretending to be behind our proxies.
  t.same(resolve('8.8.8.8', ['10.0.0.1', '192.168.0.1']).ip, '8.8.8.8');
});

t.test('every hop trusted: the leftmost address is the client (as nginx does)', async (t) => {
  t.same(resolve('10.0.0.5', ['192.168.3.3', '10.2.2.2']).ip, '192.168.3.3');
});

t.test('an unreadable hop stops the walk at the last trusted address', async (t) => {
  t.same(resolve('10.0.0.5', ['1.1.1.1', 'unknown', '10.2.2.2']), {
    ip: '10.2.2.2',
    address: '10.2.2.2',
    peer: '10.0.0.5',
  });
  t.same(resolve('10.0.0.5', ['1.1.1.1', 'garbage']).ip, '10.0.0.5');
});

t.test('ports and brackets in hops, IPv6 proxies, a UNIX-socket peer', async (t) => {
  t.same(resolve('10.0.0.5', ['81.2.69.160:5123']).ip, '81.2.69.160');
  t.same(resolve('2001:db8:1::7', ['[2a00:1450::1]:443']).ip, '2a00:1450::1');
  t.same(resolve('::ffff:10.0.0.5', ['81.2.69.160']).ip, '81.2.69.160', 'IPv4-mapped peer');
  const unix: EcsEvent = {
    event: { original: 'x' },
    source: { address: 'unix:' },
    nginx: { access: { remote_ip_list: ['81.2.69.160'] } },
  };
  enricher.enrich(unix);
  t.same(unix.source, { address: '81.2.69.160', ip: '81.2.69.160' });
  t.same(unix.nginx, { access: { remote_ip_list: ['81.2.69.160'] } }, 'no peer_ip for a socket');
});

t.test('no X-Forwarded-For, or an empty one: nothing changes', async (t) => {
  t.same(resolve('10.0.0.5'), { ip: '10.0.0.5', address: '10.0.0.5', peer: undefined });
  t.same(resolve('10.0.0.5', []), { ip: '10.0.0.5', address: '10.0.0.5', peer: undefined });
});

t.test('end to end with the main format parser', async (t) => {
  const parser = createParser({ format: 'main' });
  const ev = parser.parse(
    '10.0.0.5 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "curl/8" "203.0.113.9, 81.2.69.160, 10.9.9.9"',
  );
  enricher.enrich(ev);
  t.equal((ev.source as { ip: string }).ip, '81.2.69.160');
  t.equal((ev.nginx as { access: { peer_ip: string } }).access.peer_ip, '10.0.0.5');
});
