// The built page (index.html, dashboard.js, dashboard.css), bundled by
// scripts/build-dashboard.js into dist/dashboard/public/. Read from disk once and kept;
// a page that was never built is reported as missing, never as an empty 200.

import { readFileSync } from 'node:fs';

export const ASSET_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** Same depth from src/dashboard/ and dist/dashboard/: both resolve to dist/dashboard/public/. */
export const DEFAULT_ASSET_DIR = new URL('../../dist/dashboard/public/', import.meta.url);

export interface StaticAsset {
  contentType: string;
  body: Buffer;
}

export class DashboardAssets {
  private readonly cache = new Map<string, StaticAsset>();

  constructor(private readonly dir: URL = DEFAULT_ASSET_DIR) {}

  /** The asset named `name` (a key of ASSET_TYPES), or undefined when it is not built. */
  get(name: string): StaticAsset | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const contentType = ASSET_TYPES[name];
    if (contentType === undefined) return undefined;
    let body: Buffer;
    try {
      body = readFileSync(new URL(name, this.dir));
    } catch {
      return undefined;
    }
    const asset = { contentType, body };
    this.cache.set(name, asset);
    return asset;
  }
}
