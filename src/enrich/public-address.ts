// Which addresses GeoIP should look up: public unicast only. Private, loopback,
// link-local, shared (CGNAT), documentation, multicast and reserved ranges are
// not looked up; neither is IPv6 outside global unicast (2000::/3).

import { CidrSet } from '../net/cidr.js';
import { isMappedV4, type IpBytes } from '../net/ip.js';

const NOT_PUBLIC_V4 = new CidrSet([
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // shared address space (carrier-grade NAT)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the broadcast address
]);

/** Inside 2000::/3 (global unicast) but not public. */
const NOT_PUBLIC_V6 = new CidrSet([
  '2001:2::/48', // benchmarking
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
]);

export function isPublicAddress(b: IpBytes): boolean {
  if (isMappedV4(b)) return !NOT_PUBLIC_V4.hasBytes(b);
  if ((b[0] & 0xe0) !== 0x20) return false; // ::1, fc00::/7, fe80::/10, ff00::/8, ...
  return !NOT_PUBLIC_V6.hasBytes(b);
}
