// The server section of the config as the probe server and the dashboard take it: the
// token (read once, at start) and Host names for the private paths, and what the
// dashboard may show of a request.

import type { Config } from '../config/types.js';
import type { DashboardPrivacy } from '../dashboard/privacy.js';
import { resolveAuthToken } from '../server/access.js';

export function serverAccess(config: Config): { token?: string; allowedHosts: string[] } {
  const token = resolveAuthToken(config.server.auth);
  return token === undefined
    ? { allowedHosts: config.server.allowed_hosts }
    : { token, allowedHosts: config.server.allowed_hosts };
}

export function dashboardPrivacy(config: Config): DashboardPrivacy {
  return {
    showQueryStrings: config.server.show_query_strings,
    maskClientIps: config.server.mask_client_ips,
  };
}
