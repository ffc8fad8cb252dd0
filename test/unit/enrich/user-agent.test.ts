import t from 'tap';
import {
  botProduct,
  MAX_UA_LENGTH,
  TAG_BOT,
  UserAgentEnricher,
} from '../../../src/enrich/user-agent.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GOOGLEBOT_SMARTPHONE =
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

function enrich(original: string | undefined, enricher = new UserAgentEnricher(100)): EcsEvent {
  const ev: EcsEvent = { event: { original: 'x' } };
  if (original !== undefined) ev.user_agent = { original };
  enricher.enrich(ev);
  return ev;
}

t.test('Chrome on Windows', async (t) => {
  const ev = enrich(CHROME_WINDOWS);
  t.same(ev.user_agent, {
    original: CHROME_WINDOWS,
    name: 'Chrome',
    version: '120.0.0.0',
    os: { name: 'Windows', version: '10', full: 'Windows 10' },
    bot: false,
  });
  t.equal(ev.tags, undefined);
});

t.test('Safari on an iPhone', async (t) => {
  const ev = enrich(SAFARI_IPHONE);
  t.same(ev.user_agent, {
    original: SAFARI_IPHONE,
    name: 'Mobile Safari',
    version: '17.1',
    os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' },
    device: { name: 'iPhone' },
    bot: false,
  });
});

t.test('Googlebot: named by its own token, tagged bot, device Spider', async (t) => {
  for (const ua of [GOOGLEBOT, GOOGLEBOT_SMARTPHONE]) {
    const ev = enrich(ua);
    const agent = ev.user_agent as Record<string, unknown>;
    t.equal(agent.name, 'Googlebot', ua);
    t.equal(agent.version, '2.1');
    t.same(agent.device, { name: 'Spider' });
    t.equal(agent.bot, true);
    t.same(ev.tags, [TAG_BOT]);
  }
});

t.test('curl and other scripted clients count as bots (not a person with a browser)', async (t) => {
  for (const [ua, name, version] of [
    ['curl/8.4.0', 'curl', '8.4.0'],
    ['python-requests/2.31.0', 'python-requests', '2.31.0'],
    ['Wget/1.21.4', 'Wget', '1.21.4'],
  ]) {
    const ev = enrich(ua);
    const agent = ev.user_agent as Record<string, unknown>;
    t.equal(agent.name, name, ua);
    t.equal(agent.version, version, ua);
    t.equal(agent.bot, true, ua);
    t.same(ev.tags, [TAG_BOT], ua);
  }
});

t.test('no user agent (nginx logged "-"), or an empty one: nothing added', async (t) => {
  t.same(enrich(undefined), { event: { original: 'x' } });
  const empty = enrich('');
  t.same(empty.user_agent, { original: '' });
  t.equal(empty.tags, undefined);
});

t.test('an unknown user agent keeps what can be said', async (t) => {
  const ev = enrich('SomethingNew');
  const agent = ev.user_agent as Record<string, unknown>;
  t.equal(agent.original, 'SomethingNew');
  t.type(agent.bot, 'boolean');
});

t.test('cached by user agent: shared frozen parts, bounded, long ones capped', async (t) => {
  const enricher = new UserAgentEnricher(2);
  const a = enrich(CHROME_WINDOWS, enricher).user_agent as Record<string, unknown>;
  const b = enrich(CHROME_WINDOWS, enricher).user_agent as Record<string, unknown>;
  t.not(a, b, 'each event keeps its own user_agent object');
  t.equal(a.os, b.os, 'the parsed parts are shared');
  t.ok(Object.isFrozen(a.os));
  t.equal(enricher.cache.hits, 1);
  enrich(SAFARI_IPHONE, enricher);
  enrich(GOOGLEBOT, enricher);
  t.equal(enricher.cache.size, 2);

  const long = `${CHROME_WINDOWS} ${'x'.repeat(10_000)}`;
  const longer = `${long}y`;
  const e1 = enrich(long, enricher);
  enrich(longer, enricher);
  t.equal((e1.user_agent as Record<string, unknown>).original, long, 'the original is kept whole');
  t.equal((e1.user_agent as Record<string, unknown>).name, 'Chrome');
  t.ok(enricher.cache.has(long.slice(0, MAX_UA_LENGTH)), 'the key is capped');
  t.equal(enricher.cache.hits, 2, 'two user agents alike in their first characters share an entry');
});

t.test('botProduct reads the compatible token or the leading product', async (t) => {
  t.same(botProduct('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'), {
    name: 'bingbot',
    version: '2.0',
  });
  t.same(botProduct('kube-probe/1.29'), { name: 'kube-probe', version: '1.29' });
  t.same(botProduct('Go-http-client/1.1'), { name: 'Go-http-client', version: '1.1' });
  t.same(botProduct('masscan'), { name: 'masscan', version: undefined });
  t.equal(botProduct('Mozilla/5.0 (X11; Linux x86_64)'), undefined);
  t.equal(botProduct(''), undefined);
});

t.test(
  'an event already parsed is not parsed again (agent enriched, then the writer)',
  async (t) => {
    const enricher = new UserAgentEnricher(100);
    const bot = enrich(GOOGLEBOT, enricher);
    const wire = JSON.parse(JSON.stringify(bot)) as EcsEvent;
    enricher.enrich(wire);
    t.same(wire, JSON.parse(JSON.stringify(bot)), 'same fields, one "bot" tag');
    t.same(wire.tags, [TAG_BOT]);

    // Another pipeline's name is kept, not replaced by this parser's.
    const named: EcsEvent = {
      event: { original: 'x' },
      user_agent: { original: CHROME_WINDOWS, name: 'Chromium' },
    };
    enricher.enrich(named);
    t.same(named.user_agent, { original: CHROME_WINDOWS, name: 'Chromium' });

    // A user agent that gave no name still carries the bot flag of its pass.
    const flagged: EcsEvent = {
      event: { original: 'x' },
      user_agent: { original: 'Mozilla/5.0 (compatible; Googlebot/2.1)', bot: false },
    };
    enricher.enrich(flagged);
    t.equal(flagged.tags, undefined, 'no second verdict');
    t.equal(enricher.cache.size, 1, 'only the first user agent was parsed');
  },
);
