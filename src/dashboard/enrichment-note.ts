// What the live page says when this process does not enrich: an agent that
// leaves GeoIP and user agents to the writer shows no countries, cities or bots,
// and the page must say why and where to look instead, not look broken.

export interface EnrichmentSettings {
  role: 'run' | 'agent';
  geoip: boolean;
  userAgent: boolean;
}

/** The sentence for the page, or undefined when both enrichments run here. */
export function enrichmentNote(s: EnrichmentSettings): string | undefined {
  if (s.geoip && s.userAgent) return undefined;
  const off = !s.geoip && !s.userAgent ? 'GeoIP and user-agent' : s.geoip ? 'User-agent' : 'GeoIP';
  const shows =
    !s.geoip && !s.userAgent
      ? 'countries, cities and bots'
      : s.geoip
        ? 'bots'
        : 'countries and cities';
  const verb = !s.geoip && !s.userAgent ? 'run' : 'runs';
  if (s.role === 'agent') {
    return `${off} enrichment ${verb} in the writer, not in this agent: ${shows} show on the writer's dashboard.`;
  }
  const keys = [
    s.geoip ? '' : 'enrich.geoip.enabled',
    s.userAgent ? '' : 'enrich.user_agent.enabled',
  ]
    .filter(Boolean)
    .join(' and ');
  return `${off} enrichment is off (${keys}): no ${shows} here.`;
}
