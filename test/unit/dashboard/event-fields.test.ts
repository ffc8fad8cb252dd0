import t from 'tap';
import { isBot, isRequest, requestFields } from '../../../src/dashboard/event-fields.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const ev = (extra: Record<string, unknown>): EcsEvent => ({ event: { original: 'x' }, ...extra });

t.test('reads the ECS fields of an access event', async (t) => {
  const f = requestFields(
    ev({
      http: { request: { method: 'GET' }, response: { status_code: 502 } },
      url: { original: '/a?b=1', path: '/a' },
      source: {
        ip: '8.8.8.8',
        geo: { country_iso_code: 'US', country_name: 'United States', city_name: 'Mountain View' },
      },
    }),
  );
  t.same(f, {
    status: 502,
    method: 'GET',
    path: '/a',
    url: '/a?b=1',
    ip: '8.8.8.8',
    countryCode: 'US',
    countryName: 'United States',
    city: 'Mountain View',
    bot: false,
  });
});

t.test('missing or mistyped fields are undefined, never a crash', async (t) => {
  const f = requestFields(
    ev({ http: 'nope', url: { path: 42 }, source: { address: 'unix:', geo: ['x'] } }),
  );
  t.equal(f.status, undefined);
  t.equal(f.path, undefined);
  t.equal(f.ip, 'unix:', 'source.address when there is no ip');
  t.equal(f.countryCode, undefined);
});

t.test(
  'bots by tag or by user_agent.device.name Spider; error-log events are not requests',
  async (t) => {
    t.ok(isBot(ev({ tags: ['bot'] })));
    t.ok(isBot(ev({ user_agent: { device: { name: 'Spider' } } })));
    t.notOk(isBot(ev({ tags: ['_parse_failure'], user_agent: { device: { name: 'Other' } } })));
    t.notOk(isRequest({ event: { original: 'x', dataset: 'nginx.error' } }));
    t.ok(isRequest({ event: { original: 'x', dataset: 'nginx.access' } }));
  },
);
