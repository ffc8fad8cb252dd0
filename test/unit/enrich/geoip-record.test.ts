import t from 'tap';
import { asFromRecord, countryName, geoFromRecord } from '../../../src/enrich/geoip-record.js';

t.test('DB-IP / ip-location-db flat layout', async (t) => {
  const geo = geoFromRecord({
    city: 'London',
    country_code: 'GB',
    latitude: 51.51430130004883,
    longitude: -0.09122440218925476,
    postcode: '',
    state1: 'England',
    state2: '',
    timezone: '',
  });
  t.same(geo, {
    country_iso_code: 'GB',
    country_name: 'United Kingdom',
    region_name: 'England',
    city_name: 'London',
    location: { lat: 51.5143, lon: -0.0912 },
  });
  t.ok(Object.isFrozen(geo) && Object.isFrozen(geo?.location), 'shared, so frozen');
});

t.test('MaxMind GeoIP2 / GeoLite2 City nested layout', async (t) => {
  const geo = geoFromRecord({
    continent: { code: 'EU', geoname_id: 6255148, names: { en: 'Europe', de: 'Europa' } },
    country: { geoname_id: 2635167, iso_code: 'GB', names: { en: 'United Kingdom' } },
    registered_country: { geoname_id: 3017382, iso_code: 'FR', names: { en: 'France' } },
    subdivisions: [{ geoname_id: 6269131, iso_code: 'ENG', names: { en: 'England' } }],
    city: { geoname_id: 2643743, names: { en: 'London' } },
    postal: { code: 'EC4R' },
    location: {
      accuracy_radius: 100,
      latitude: 51.5142,
      longitude: -0.0931,
      time_zone: 'Europe/London',
    },
  });
  t.same(geo, {
    continent_code: 'EU',
    continent_name: 'Europe',
    country_iso_code: 'GB',
    country_name: 'United Kingdom',
    region_iso_code: 'GB-ENG',
    region_name: 'England',
    city_name: 'London',
    postal_code: 'EC4R',
    timezone: 'Europe/London',
    location: { lat: 51.5142, lon: -0.0931 },
  });
});

t.test('a country-only MaxMind record without English names gets the name from ICU', async (t) => {
  t.same(geoFromRecord({ country: { iso_code: 'JP', names: { ja: '日本' } } }), {
    country_iso_code: 'JP',
    country_name: 'Japan',
  });
});

t.test('nothing usable: undefined; broken coordinates are left out', async (t) => {
  t.equal(geoFromRecord(null), undefined);
  t.equal(geoFromRecord({}), undefined);
  t.equal(geoFromRecord({ country_code: 'ZZ', city: '' }), undefined);
  t.same(geoFromRecord({ country_code: 'US', latitude: 91, longitude: 0 }), {
    country_iso_code: 'US',
    country_name: 'United States',
  });
});

t.test('country names: ISO code to English with Intl.DisplayNames', async (t) => {
  t.equal(countryName('AU'), 'Australia');
  t.equal(countryName('de'), 'Germany');
  t.equal(countryName('ZZ'), undefined);
  t.equal(countryName('USA'), undefined);
});

t.test('ASN records', async (t) => {
  t.same(
    asFromRecord({ autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' }),
    {
      number: 15169,
      organization: { name: 'GOOGLE' },
    },
  );
  t.same(asFromRecord({ autonomous_system_number: 13335 }), { number: 13335 });
  t.equal(asFromRecord({ country_code: 'US' }), undefined);
  t.equal(asFromRecord(null), undefined);
});
