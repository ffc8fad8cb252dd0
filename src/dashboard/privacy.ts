// What the dashboard shows of a request, settled once: query strings (reset tokens, session
// ids) are cut from URLs unless the operator keeps them, and client addresses can be masked
// to their network (IPv4 /24, IPv6 /48). Applied to each snapshot, live or Elasticsearch.

import { ipBytes, isMappedV4, parseIp, v4Text } from '../net/ip.js';
import type { DashboardSnapshot, ErrorEntry } from './snapshot.js';

export interface DashboardPrivacy {
  /** Show URLs with their query string (default: cut at '?'). */
  showQueryStrings: boolean;
  /** Show client addresses as their network only (203.0.113.0, 2001:db8:1::). */
  maskClientIps: boolean;
}

export const DEFAULT_PRIVACY: DashboardPrivacy = { showQueryStrings: false, maskClientIps: false };

/** A copy of `snapshot` with URLs and addresses as `privacy` allows. */
export function applyPrivacy(
  snapshot: DashboardSnapshot,
  privacy: DashboardPrivacy,
): DashboardSnapshot {
  if (privacy.showQueryStrings && !privacy.maskClientIps) return snapshot;
  const url = privacy.showQueryStrings ? (u: string) => u : withoutQuery;
  return {
    ...snapshot,
    // url.path has no query, but a page falls back to url.original when path is absent
    topPages: snapshot.topPages.map((row) => ({ ...row, name: url(row.name) })),
    recent5xx: snapshot.recent5xx.map((e) => {
      const entry: ErrorEntry = { ...e, url: url(e.url) };
      if (privacy.maskClientIps && e.ip !== undefined) entry.ip = maskIp(e.ip);
      return entry;
    }),
  };
}

/** "/reset?token=abc#x" -> "/reset?…"; a URL without '?' is kept as it is. */
export function withoutQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

/** 203.0.113.7 -> 203.0.113.0; 2001:db8:1:2::5 -> 2001:db8:1::; anything else -> "masked". */
export function maskIp(ip: string): string {
  const bytes = ipBytes();
  const family = parseIp(ip, bytes);
  if (family === 0) return 'masked';
  if (family === 4 || isMappedV4(bytes)) {
    bytes[15] = 0;
    return v4Text(bytes);
  }
  const hextets: string[] = [];
  for (let i = 0; i < 6; i += 2) hextets.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return `${hextets.join(':')}::`;
}
