// A set of CIDR blocks (IPv4 and IPv6) tested against an address: every block
// is 16 bytes plus a prefix length, IPv4 blocks as ::ffff:0:0/96 + n, so an
// IPv4-mapped IPv6 address matches its IPv4 block. Parsed once; a lookup is a
// linear scan of byte compares (lists are short: proxies, reserved ranges).

import { ipBytes, parseIp, parseIpRange, type IpBytes } from './ip.js';

export interface Cidr {
  readonly bytes: IpBytes;
  /** 0..128, over the 16-byte form. */
  readonly prefix: number;
}

/** "10.0.0.0/8", "2001:db8::/32", or a single address (a /32 or /128). Host bits are cleared. */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const bytes = ipBytes();
  const family = parseIpRange(s, 0, slash === -1 ? s.length : slash, bytes);
  if (family === 0) return undefined;
  const offset = family === 4 ? 96 : 0;
  let prefix = 128;
  if (slash !== -1) {
    const digits = s.slice(slash + 1);
    if (digits.length === 0 || digits.length > 3) return undefined;
    let n = 0;
    for (let i = 0; i < digits.length; i++) {
      const d = digits.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return undefined;
      n = n * 10 + d;
    }
    if (n > 128 - offset) return undefined;
    prefix = n + offset;
  }
  for (let bit = prefix; bit < 128; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return { bytes, prefix };
}

export function cidrContains(cidr: Cidr, address: IpBytes): boolean {
  const full = cidr.prefix >> 3;
  const b = cidr.bytes;
  for (let i = 0; i < full; i++) if (b[i] !== address[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[full] & mask) === b[full];
}

export class CidrSet {
  private readonly blocks: readonly Cidr[];
  private readonly scratch = ipBytes();
  /** `unix:` in the list: nginx's name for a UNIX-domain socket peer. */
  readonly unixSocket: boolean;

  /** Throws a RangeError naming the first entry that is not a CIDR block (see `invalidCidrs`). */
  constructor(entries: readonly string[]) {
    const blocks: Cidr[] = [];
    let unix = false;
    for (const entry of entries) {
      if (entry.trim() === 'unix:') {
        unix = true;
        continue;
      }
      const cidr = parseCidr(entry);
      if (cidr === undefined) throw new RangeError(`not a CIDR block: ${JSON.stringify(entry)}`);
      blocks.push(cidr);
    }
    this.blocks = blocks;
    this.unixSocket = unix;
  }

  get size(): number {
    return this.blocks.length + (this.unixSocket ? 1 : 0);
  }

  hasBytes(address: IpBytes): boolean {
    const blocks = this.blocks;
    for (let i = 0; i < blocks.length; i++) if (cidrContains(blocks[i], address)) return true;
    return false;
  }

  /** True when `address` (IP text, or `unix:`) is inside one of the blocks. */
  has(address: string): boolean {
    if (address === 'unix:') return this.unixSocket;
    return parseIp(address, this.scratch) !== 0 && this.hasBytes(this.scratch);
  }
}

/** The entries of `entries` that CidrSet would refuse, for config messages. */
export function invalidCidrs(entries: readonly string[]): string[] {
  return entries.filter((e) => e.trim() !== 'unix:' && parseCidr(e) === undefined);
}
