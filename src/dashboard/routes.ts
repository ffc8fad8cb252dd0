// The dashboard's routes on the probe server (its onRequest hook): the page at /, its
// script and style, and GET /api/dashboard with the numbers. The page may only load
// what this server serves (Content-Security-Policy): no CDN, no inline script. URLs lose
// their query string and addresses may be masked (privacy.ts) before they leave.

import { jsonResponse, splitUrl } from '../server/http.js';
import type { RequestHook } from '../server/probe-server.js';
import { DEFAULT_PRIVACY, applyPrivacy, type DashboardPrivacy } from './privacy.js';
import type { DashboardSnapshot } from './snapshot.js';
import { DashboardAssets } from './static-assets.js';

export type SnapshotProvider = () => DashboardSnapshot | Promise<DashboardSnapshot>;

export const API_PATH = '/api/dashboard';

const PAGE_SECURITY = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const PATHS: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/dashboard.js': 'dashboard.js',
  '/dashboard.css': 'dashboard.css',
};

export function dashboardRoutes(
  snapshot: SnapshotProvider,
  assets: DashboardAssets = new DashboardAssets(),
  privacy: DashboardPrivacy = DEFAULT_PRIVACY,
): RequestHook {
  return async (req) => {
    const { path } = splitUrl(req.url);
    const asset = PATHS[path];
    if (asset === undefined && path !== API_PATH) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return jsonResponse(405, { error: 'method not allowed' });
    if (path === API_PATH) {
      try {
        return jsonResponse(200, applyPrivacy(await snapshot(), privacy));
      } catch (err) {
        return jsonResponse(503, { error: (err as Error).message });
      }
    }
    const found = assets.get(asset);
    if (found === undefined) {
      return {
        status: 503,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `dashboard page not built: run \`npm run build\` (${API_PATH} works without it)\n`,
      };
    }
    const headers: Record<string, string> = {
      'content-type': found.contentType,
      'x-content-type-options': 'nosniff',
    };
    return {
      status: 200,
      headers: asset === 'index.html' ? { ...headers, ...PAGE_SECURITY } : headers,
      body: found.body,
    };
  };
}
