// GeoIP: `source.geo` (and `source.as` with an ASN database) from `source.ip`.
// Results are cached per address (bounded LRU), so the common case is one Map
// lookup and the shared, frozen geo object is assigned to the event. Private
// and reserved addresses are tagged _geoip_private and never looked up.
// An event that already went through GeoIP (the agent enriched it before the
// writer sees it) is left alone: it has source.geo or source.as, or one of
// the _geoip_* tags that a lookup without a result leaves.

import { addTag, type EcsEvent } from '../pipeline/event.js';
import { asFromRecord, geoFromRecord, type AutonomousSystem, type Geo } from './geoip-record.js';
import { ipBytes, isMappedV4, parseIp, v4Text } from '../net/ip.js';
import { LruCache } from './lru-cache.js';
import type { MmdbFile } from './mmdb-file.js';
import { isPublicAddress } from './public-address.js';

export const TAG_GEOIP_PRIVATE = '_geoip_private';
export const TAG_GEOIP_NOT_FOUND = '_geoip_not_found';
export const TAG_GEOIP_UNAVAILABLE = '_geoip_database_unavailable';
const GEOIP_TAG_PREFIX = '_geoip_';

/** True when a GeoIP pass already left its mark: source.geo, source.as or a _geoip_* tag. */
export function geoIpDone(event: EcsEvent, source: SourceFields): boolean {
  if (source.geo !== undefined || source.as !== undefined) return true;
  const tags: unknown = event.tags;
  if (!Array.isArray(tags)) return false;
  for (let i = 0; i < tags.length; i++) {
    const tag: unknown = tags[i];
    if (typeof tag === 'string' && tag.startsWith(GEOIP_TAG_PREFIX)) return true;
  }
  return false;
}

export interface GeoIpOptions {
  /** Answers IPv4 addresses (and IPv6 ones when `ipv6Database` is undefined). */
  database: MmdbFile;
  /** A separate file for IPv6 addresses (the bundled DB-IP pair is split by family). */
  ipv6Database: MmdbFile | undefined;
  /** GeoLite2-ASN layout: `source.as.number`, `source.as.organization.name`. */
  asnDatabase: MmdbFile | undefined;
  /** Look up public IPv6 addresses at all. */
  ipv6: boolean;
  cacheSize: number;
}

interface GeoResult {
  readonly geo: Readonly<Geo> | undefined;
  readonly as: Readonly<AutonomousSystem> | undefined;
  readonly tag: string | undefined;
}

const NOTHING: GeoResult = Object.freeze({ geo: undefined, as: undefined, tag: undefined });
const PRIVATE: GeoResult = Object.freeze({ geo: undefined, as: undefined, tag: TAG_GEOIP_PRIVATE });
const NOT_FOUND: GeoResult = Object.freeze({
  geo: undefined,
  as: undefined,
  tag: TAG_GEOIP_NOT_FOUND,
});
const UNAVAILABLE: GeoResult = Object.freeze({
  geo: undefined,
  as: undefined,
  tag: TAG_GEOIP_UNAVAILABLE,
});

interface SourceFields {
  ip?: unknown;
  geo?: unknown;
  as?: unknown;
}

export class GeoIpEnricher {
  readonly cache: LruCache<string, GeoResult>;
  private readonly scratch = ipBytes();

  constructor(private readonly options: GeoIpOptions) {
    this.cache = new LruCache(options.cacheSize);
  }

  enrich(event: EcsEvent): void {
    const source = event.source as SourceFields | undefined;
    if (source === undefined) return;
    const ip = source.ip;
    if (typeof ip !== 'string' || geoIpDone(event, source)) return;
    let result = this.cache.get(ip);
    if (result === undefined) {
      result = this.lookup(ip);
      this.cache.set(ip, result);
    }
    if (result.geo !== undefined) source.geo = result.geo;
    if (result.as !== undefined) source.as = result.as;
    if (result.tag !== undefined) addTag(event, result.tag);
  }

  private lookup(ip: string): GeoResult {
    const b = this.scratch;
    if (parseIp(ip, b) === 0) return NOTHING;
    if (!isPublicAddress(b)) return PRIVATE;
    const v4 = isMappedV4(b);
    if (!v4 && !this.options.ipv6) return NOTHING;
    // IPv4-mapped IPv6 text (::ffff:8.8.8.8) is looked up as the IPv4 address it is.
    const key = v4 ? v4Text(b) : ip;
    const database = v4
      ? this.options.database
      : (this.options.ipv6Database ?? this.options.database);
    const record = v4 || database.ipVersion !== 4 ? database.get(key) : null;
    let as: Readonly<AutonomousSystem> | undefined;
    const asn = this.options.asnDatabase;
    if (asn !== undefined && (v4 || asn.ipVersion !== 4)) as = asFromRecord(asn.get(key));
    if (record === undefined) return as === undefined ? UNAVAILABLE : result(undefined, as);
    const geo = geoFromRecord(record);
    if (geo === undefined && as === undefined) return NOT_FOUND;
    return result(geo, as);
  }
}

function result(geo: Readonly<Geo> | undefined, as: Readonly<AutonomousSystem> | undefined) {
  return Object.freeze({ geo, as, tag: undefined });
}
