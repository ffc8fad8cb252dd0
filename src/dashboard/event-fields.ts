// Reads the few ECS fields the dashboard counts from an event, defensively: any of them may
// be absent or of another type (a JSON log line can place ECS names itself). Strings come
// back as they are; callers bound their length before keeping them.

import type { EcsEvent } from '../pipeline/event.js';

type Obj = Record<string, unknown>;

function child(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Obj)[key] : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The tag the enrichment sets on requests from crawlers and other bots. */
export const TAG_BOT = 'bot';

export interface RequestFields {
  status: number | undefined;
  method: string | undefined;
  path: string | undefined;
  url: string | undefined;
  ip: string | undefined;
  countryCode: string | undefined;
  countryName: string | undefined;
  city: string | undefined;
  bot: boolean;
}

/** Error-log events are not requests: the dashboard leaves them out. */
export function isRequest(event: EcsEvent): boolean {
  return event.event?.dataset !== 'nginx.error';
}

export function requestFields(event: EcsEvent): RequestFields {
  const http = event.http;
  const status = child(child(http, 'response'), 'status_code');
  const url = event.url;
  const source = event.source;
  const geo = child(source, 'geo');
  return {
    status: typeof status === 'number' ? status : undefined,
    method: str(child(child(http, 'request'), 'method')),
    path: str(child(url, 'path')) ?? str(child(url, 'original')),
    url: str(child(url, 'original')) ?? str(child(url, 'path')),
    ip: str(child(source, 'ip')) ?? str(child(source, 'address')),
    countryCode: str(child(geo, 'country_iso_code')),
    countryName: str(child(geo, 'country_name')),
    city: str(child(geo, 'city_name')),
    bot: isBot(event),
  };
}

/** A bot by the enrichment's tag, or by ECS's user_agent.device.name 'Spider'. */
export function isBot(event: EcsEvent): boolean {
  const tags = event.tags;
  if (Array.isArray(tags) && tags.includes(TAG_BOT)) return true;
  return child(child(event.user_agent, 'device'), 'name') === 'Spider';
}
