// MMDB records to ECS `source.geo` / `source.as`. Two layouts, told apart by
// the record's shape: MaxMind GeoIP2/GeoLite2 (nested: country.iso_code,
// city.names.en, location.latitude) and DB-IP / ip-location-db (flat:
// country_code, state1, city, latitude). Empty values are absent keys; the
// returned objects are frozen because one is shared by every event it fits.

import { isPlainObject } from '../support/plain-object.js';

export interface GeoLocation {
  lat: number;
  lon: number;
}

export interface Geo {
  continent_code?: string;
  continent_name?: string;
  country_iso_code?: string;
  country_name?: string;
  region_iso_code?: string;
  region_name?: string;
  city_name?: string;
  postal_code?: string;
  timezone?: string;
  location?: GeoLocation;
}

export interface AutonomousSystem {
  number?: number;
  organization?: { name: string };
}

type Rec = Record<string, unknown>;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The English name of an ISO 3166-1 alpha-2 code, from Node's ICU; undefined when unknown. */
export function countryName(code: string): string | undefined {
  if (code.length !== 2 || code === 'ZZ') return undefined;
  try {
    const name = regionNames.of(code.toUpperCase());
    return name === undefined || name === code.toUpperCase() ? undefined : name;
  } catch {
    return undefined;
  }
}

function record(value: unknown): Rec | undefined {
  return isPlainObject(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function englishName(value: unknown): string | undefined {
  return text(record(record(value)?.names)?.en);
}

/** Four decimals (about 11 m): as precise as city-level data is, and short in JSON. */
function coordinate(value: unknown, limit: number): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    return undefined;
  }
  return Math.round(value * 1e4) / 1e4;
}

function location(lat: unknown, lon: unknown): GeoLocation | undefined {
  const la = coordinate(lat, 90);
  const lo = coordinate(lon, 180);
  return la === undefined || lo === undefined ? undefined : { lat: la, lon: lo };
}

function put<K extends keyof Geo>(geo: Geo, key: K, value: Geo[K] | undefined): void {
  if (value !== undefined) geo[key] = value;
}

function fromMaxMind(r: Rec): Geo {
  const geo: Geo = {};
  const continent = record(r.continent);
  put(geo, 'continent_code', text(continent?.code));
  put(geo, 'continent_name', englishName(continent));
  const country = record(r.country);
  const iso = text(country?.iso_code);
  put(geo, 'country_iso_code', iso);
  put(geo, 'country_name', englishName(country) ?? (iso && countryName(iso)));
  const subdivisions = r.subdivisions;
  const region = Array.isArray(subdivisions) ? record(subdivisions[0]) : undefined;
  const regionCode = text(region?.iso_code);
  if (regionCode !== undefined && iso !== undefined) geo.region_iso_code = `${iso}-${regionCode}`;
  put(geo, 'region_name', englishName(region));
  put(geo, 'city_name', englishName(r.city));
  put(geo, 'postal_code', text(record(r.postal)?.code));
  const loc = record(r.location);
  put(geo, 'timezone', text(loc?.time_zone));
  put(geo, 'location', location(loc?.latitude, loc?.longitude));
  return geo;
}

function fromFlat(r: Rec): Geo {
  const geo: Geo = {};
  const iso = text(r.country_code);
  if (iso !== undefined && iso !== 'ZZ') {
    geo.country_iso_code = iso;
    put(geo, 'country_name', countryName(iso));
  }
  put(geo, 'region_name', text(r.state1));
  put(geo, 'city_name', text(r.city));
  put(geo, 'postal_code', text(r.postcode));
  put(geo, 'timezone', text(r.timezone));
  put(geo, 'location', location(r.latitude, r.longitude));
  return geo;
}

function isMaxMindLayout(r: Rec): boolean {
  return (
    record(r.country) !== undefined ||
    record(r.city) !== undefined ||
    record(r.location) !== undefined ||
    record(r.continent) !== undefined ||
    record(r.registered_country) !== undefined
  );
}

/** `source.geo` from a record of either layout; undefined when it holds nothing usable. */
export function geoFromRecord(value: unknown): Readonly<Geo> | undefined {
  const r = record(value);
  if (r === undefined) return undefined;
  const geo = isMaxMindLayout(r) ? fromMaxMind(r) : fromFlat(r);
  if (Object.keys(geo).length === 0) return undefined;
  if (geo.location !== undefined) Object.freeze(geo.location);
  return Object.freeze(geo);
}

/** `source.as` from a GeoLite2-ASN / GeoIP2-ISP / ip-location-db ASN record. */
export function asFromRecord(value: unknown): Readonly<AutonomousSystem> | undefined {
  const r = record(value);
  if (r === undefined) return undefined;
  const as: AutonomousSystem = {};
  const number = r.autonomous_system_number;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 0) as.number = number;
  const organization = text(r.autonomous_system_organization);
  if (organization !== undefined) as.organization = Object.freeze({ name: organization });
  return Object.keys(as).length === 0 ? undefined : Object.freeze(as);
}
