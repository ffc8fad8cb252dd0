// The real client behind trusted proxies, as nginx's realip module finds it
// (real_ip_recursive on): X-Forwarded-For is read only when the peer is a
// trusted proxy, from the right, skipping trusted hops; the first untrusted one
// is the client (source.ip/address); the peer is kept in nginx.access.peer_ip.

import type { EcsEvent } from '../pipeline/event.js';
import type { CidrSet } from '../net/cidr.js';
import { forwardedAddress, ipBytes } from '../net/ip.js';

interface SourceFields {
  ip?: unknown;
  address?: unknown;
}

interface AccessFields {
  remote_ip_list?: unknown;
  peer_ip?: string;
}

export class ClientAddressEnricher {
  private readonly scratch = ipBytes();

  constructor(private readonly trusted: CidrSet) {}

  enrich(event: EcsEvent): void {
    const source = event.source as SourceFields | undefined;
    if (source === undefined) return;
    const access = (event.nginx as { access?: AccessFields } | undefined)?.access;
    const list = access?.remote_ip_list;
    if (!Array.isArray(list) || list.length === 0) return;
    const peer = typeof source.ip === 'string' ? source.ip : source.address;
    if (typeof peer !== 'string' || !this.trusted.has(peer)) return;
    const client = this.clientFrom(list as unknown[], peer);
    if (client === peer) return;
    source.ip = client;
    source.address = client;
    // A UNIX-socket peer ('unix:') is not an address: nothing to keep.
    if (peer !== 'unix:') (access as AccessFields).peer_ip = peer;
  }

  /** Walks the list right to left; stops at the first untrusted address, or at an unreadable one. */
  clientFrom(list: readonly unknown[], peer: string): string {
    const b = this.scratch;
    let client = peer;
    for (let i = list.length - 1; i >= 0; i--) {
      const item = list[i];
      const address = typeof item === 'string' ? forwardedAddress(item, b) : undefined;
      // Like nginx: an unreadable hop ends the walk at the last trusted address.
      if (address === undefined) break;
      client = address;
      if (!this.trusted.hasBytes(b)) break;
    }
    return client;
  }
}
