// A tiny MaxMind DB (MMDB v2) writer for tests: builds small databases in the
// GeoIP2/GeoLite2 layouts (which we cannot ship) so the reading path is
// exercised on real files. Record size 24, data written inline, no pointers.
// Format: https://maxmind.github.io/MaxMind-DB/

import { parseCidr } from '../../../src/net/cidr.js';

export interface Network {
  /** IPv4 or IPv6 CIDR; IPv4 ones in an IPv6 tree go where MaxMind puts them (::a.b.c.d). */
  cidr: string;
  data: unknown;
}

function control(type: number, size: number): Buffer {
  let low = size;
  let extra: number[] = [];
  if (size >= 65821) throw new RangeError('sizes above 65820 are not needed by these tests');
  if (size >= 285) {
    low = 30;
    extra = [((size - 285) >> 8) & 0xff, (size - 285) & 0xff];
  } else if (size >= 29) {
    low = 29;
    extra = [size - 29];
  }
  const head = type <= 7 ? [(type << 5) | low] : [low, type - 7];
  return Buffer.from([...head, ...extra]);
}

function unsigned(type: number, value: number | bigint, max: number): Buffer {
  const bytes: number[] = [];
  let v = BigInt(value);
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  if (bytes.length > max) throw new RangeError('value too large');
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

export function encode(value: unknown): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'bigint') return unsigned(9, value, 8);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return unsigned(6, value, 4);
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return Buffer.concat([control(3, 8), b]);
  }
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const parts = [control(7, entries.length)];
    for (const [k, v] of entries) parts.push(encode(k), encode(v));
    return Buffer.concat(parts);
  }
  throw new TypeError(`cannot encode ${typeof value}`);
}

interface Node {
  children: [Node | number | undefined, Node | number | undefined];
}

export function writeMmdb(options: {
  ipVersion: 4 | 6;
  databaseType: string;
  networks: Network[];
}): Buffer {
  const root: Node = { children: [undefined, undefined] };
  const data: Buffer[] = [];
  let dataSize = 0;
  for (const network of options.networks) {
    const cidr = parseCidr(network.cidr);
    if (cidr === undefined) throw new Error(`bad cidr ${network.cidr}`);
    const isV4 = network.cidr.indexOf(':') === -1;
    const bytes = Uint8Array.from(cidr.bytes);
    if (isV4) bytes.fill(0, 0, 12); // ::a.b.c.d, MaxMind's place for IPv4 in an IPv6 tree
    const skip = options.ipVersion === 4 ? 96 : 0;
    if (options.ipVersion === 4 && !isV4) throw new Error('IPv6 network in an IPv4 tree');
    const offset = dataSize;
    const encoded = encode(network.data);
    data.push(encoded);
    dataSize += encoded.length;
    let node = root;
    for (let bit = skip; bit < cidr.prefix; bit++) {
      const side = (bytes[bit >> 3] >> (7 - (bit & 7))) & 1;
      if (bit === cidr.prefix - 1) node.children[side] = offset;
      else {
        let next = node.children[side];
        if (typeof next !== 'object') {
          next = { children: [undefined, undefined] };
          node.children[side] = next;
        }
        node = next;
      }
    }
  }
  const nodes: Node[] = [];
  const queue: Node[] = [root];
  while (queue.length > 0) {
    const node = queue.shift() as Node;
    nodes.push(node);
    for (const c of node.children) if (typeof c === 'object') queue.push(c);
  }
  const index = new Map(nodes.map((n, i) => [n, i]));
  const count = nodes.length;
  const tree = Buffer.alloc(count * 6);
  nodes.forEach((node, i) => {
    node.children.forEach((c, side) => {
      const value =
        c === undefined ? count : typeof c === 'number' ? count + 16 + c : (index.get(c) as number);
      tree.writeUIntBE(value, i * 6 + side * 3, 3);
    });
  });
  const metadata = encode({
    node_count: count,
    record_size: 24,
    ip_version: options.ipVersion,
    database_type: options.databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: BigInt(Math.floor(Date.UTC(2026, 0, 1) / 1000)),
    description: { en: 'logpod test database' },
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    ...data,
    Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex'),
    metadata,
  ]);
}
