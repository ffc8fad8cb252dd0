// User agent: `user_agent.name`, `version`, `os.*`, `device.name`, and bots
// (isbot) marked with the tag `bot` and `user_agent.bot: true|false`. Parsing
// runs on a cache miss only (bounded LRU keyed by the user agent, at most
// MAX_UA_LENGTH characters of it); cached parts are frozen and shared. An
// event that was already parsed (user_agent.name or user_agent.bot present, as
// when the agent enriched it before the writer) is left as it is.

import { createRequire } from 'node:module';
import { isbot } from 'isbot';
import { addTag, type EcsEvent } from '../pipeline/event.js';
import { LruCache } from './lru-cache.js';

export const TAG_BOT = 'bot';
/** Longer user agents are parsed and cached by their first MAX_UA_LENGTH characters. */
export const MAX_UA_LENGTH = 512;
/** `user_agent.device.name` of bots, as Elasticsearch's user_agent processor names them. */
export const BOT_DEVICE_NAME = 'Spider';

interface UaResult {
  browser: { name?: string; version?: string };
  os: { name?: string; version?: string };
  device: { vendor?: string; model?: string; type?: string };
}

interface UaParser {
  setUA(ua: string): UaParser;
  getResult(): UaResult;
}

// ua-parser-js 1.x is CommonJS without type declarations: typed here, where it is used.
const UAParser = createRequire(import.meta.url)('ua-parser-js') as new () => UaParser;

interface ParsedAgent {
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly os: Readonly<{ name: string; version?: string; full: string }> | undefined;
  readonly device: Readonly<{ name: string }> | undefined;
  readonly bot: boolean;
}

interface UserAgentFields {
  original?: unknown;
  name?: string;
  version?: string;
  os?: unknown;
  device?: unknown;
  bot?: boolean;
}

/** `name/version` of the product token starting at `from`, ending at ' ', ';', ')' or the end. */
function productAt(ua: string, from: number): { name: string; version: string | undefined } {
  let end = from;
  while (end < ua.length) {
    const c = ua.charCodeAt(end);
    if (c === 0x20 || c === 0x3b || c === 0x29 || c === 0x28) break;
    end++;
  }
  const slash = ua.indexOf('/', from);
  if (slash === -1 || slash >= end) return { name: ua.slice(from, end), version: undefined };
  return { name: ua.slice(from, slash), version: ua.slice(slash + 1, end) || undefined };
}

/**
 * The name a bot gives itself: the token after "compatible; " (Googlebot/2.1,
 * bingbot/2.0), else the leading product (curl/8.4.0, python-requests/2.31).
 */
export function botProduct(ua: string): { name: string; version: string | undefined } | undefined {
  const compatible = ua.indexOf('compatible; ');
  if (compatible !== -1) {
    const p = productAt(ua, compatible + 12);
    if (p.version !== undefined && p.name !== '') return p;
  }
  if (ua.startsWith('Mozilla/')) return undefined;
  const p = productAt(ua, 0);
  return p.name === '' ? undefined : p;
}

export class UserAgentEnricher {
  readonly cache: LruCache<string, ParsedAgent>;
  private readonly parser = new UAParser();

  constructor(cacheSize: number) {
    this.cache = new LruCache(cacheSize);
  }

  enrich(event: EcsEvent): void {
    const ua = event.user_agent as UserAgentFields | undefined;
    if (ua === undefined) return;
    const original = ua.original;
    if (typeof original !== 'string' || original === '') return;
    if (ua.name !== undefined || ua.bot !== undefined) return;
    const key = original.length > MAX_UA_LENGTH ? original.slice(0, MAX_UA_LENGTH) : original;
    let parsed = this.cache.get(key);
    if (parsed === undefined) {
      parsed = this.parse(key);
      this.cache.set(key, parsed);
    }
    if (parsed.name !== undefined) ua.name = parsed.name;
    if (parsed.version !== undefined) ua.version = parsed.version;
    if (parsed.os !== undefined) ua.os = parsed.os;
    if (parsed.device !== undefined) ua.device = parsed.device;
    ua.bot = parsed.bot;
    if (parsed.bot) addTag(event, TAG_BOT);
  }

  parse(ua: string): ParsedAgent {
    const r = this.parser.setUA(ua).getResult();
    const bot = isbot(ua);
    let name = r.browser.name;
    let version = r.browser.version;
    // A bot is named by its own token (Googlebot), even when it poses as a browser.
    const product = bot || name === undefined ? botProduct(ua) : undefined;
    if (product !== undefined) {
      name = product.name;
      version = product.version;
    }
    const osName = r.os.name;
    const osVersion = r.os.version;
    const os =
      osName === undefined
        ? undefined
        : Object.freeze(
            osVersion === undefined
              ? { name: osName, full: osName }
              : { name: osName, version: osVersion, full: `${osName} ${osVersion}` },
          );
    const deviceName = bot ? BOT_DEVICE_NAME : r.device.model;
    const device = deviceName === undefined ? undefined : Object.freeze({ name: deviceName });
    return Object.freeze({ name, version, os, device, bot });
  }
}
