import t from 'tap';
import { TimeParser, parseOffset } from '../../../../src/parse/nginx/timestamp.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('time_local agrees with Date for random instants and offsets', async (t) => {
  const rand = rng(42);
  const p = new TimeParser(0);
  for (let i = 0; i < 2000; i++) {
    const ms = Math.floor(rand() * 4102444800) * 1000; // 1970..2100, whole seconds
    const offMin = (Math.floor(rand() * 57) - 28) * 30; // -14:00..+14:00 by 30 min
    const local = new Date(ms + offMin * 60000);
    const sign = offMin < 0 ? '-' : '+';
    const abs = Math.abs(offMin);
    const s =
      `${pad(local.getUTCDate())}/${MONTHS[local.getUTCMonth()]}/${local.getUTCFullYear()}:` +
      `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ` +
      `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
    const got = p.timeLocal(s);
    if (got !== new Date(ms).toISOString()) {
      t.fail(`${s}: ${got}`);
      return;
    }
  }
  t.pass('2000 random times agree');
});

t.test('the spec example and invalid dates', async (t) => {
  const p = new TimeParser(0);
  t.equal(p.timeLocal('10/Oct/2000:13:55:36 -0700'), '2000-10-10T20:55:36.000Z');
  t.equal(p.timeLocal('29/Feb/2024:00:00:00 +0000'), '2024-02-29T00:00:00.000Z');
  for (const bad of [
    '29/Feb/2023:00:00:00 +0000',
    '31/Apr/2024:00:00:00 +0000',
    '10/oct/2000:13:55:36 -0700',
    '10/Oct/2000:24:00:00 +0000',
    '10/Oct/2000:13:60:00 +0000',
    '10/Oct/2000:13:55:36 +2400',
    '10/Oct/2000:13:55:36 0700 ',
    '1/Oct/2000:13:55:36 -0700 ',
    '',
  ]) {
    t.equal(p.timeLocal(bad), undefined, bad);
  }
});

t.test('the cache never returns a stale value', async (t) => {
  const p = new TimeParser(0);
  t.equal(p.timeLocal('10/Oct/2000:13:55:36 +0000'), '2000-10-10T13:55:36.000Z');
  t.equal(p.timeLocal('10/Oct/2000:13:55:36 +0000'), '2000-10-10T13:55:36.000Z');
  t.equal(p.timeLocal('10/Oct/2000:13:55:37 +0000'), '2000-10-10T13:55:37.000Z');
  t.equal(p.timeLocal('10/Oct/2000:13:55:37 +0100'), '2000-10-10T12:55:37.000Z');
  t.equal(p.msec('1700000000.001'), '2023-11-14T22:13:20.001Z');
  t.equal(p.msec('1700000000.999'), '2023-11-14T22:13:20.999Z');
  t.equal(p.msec('1700000001.000'), '2023-11-14T22:13:21.000Z');
  t.equal(p.msec('170000000.000'), '1975-05-22T14:13:20.000Z');
  t.equal(p.msec('1700000001'), '2023-11-14T22:13:21.000Z');
});

t.test('msec: fractions, and what is refused', async (t) => {
  const p = new TimeParser(0);
  t.equal(p.msec('0.5'), '1970-01-01T00:00:00.500Z');
  t.equal(p.msec('1.23456'), '1970-01-01T00:00:01.234Z');
  for (const bad of ['', '.5', '1.', '-1.000', '1.2.3', '12a.000', '1.00x', '9999999999999.000']) {
    t.equal(p.msec(bad), undefined, bad);
  }
});

t.test('ISO 8601 variants', async (t) => {
  const p = new TimeParser(120);
  t.equal(p.iso8601('2024-01-02T03:04:05+00:00'), '2024-01-02T03:04:05.000Z');
  t.equal(p.iso8601('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z');
  t.equal(p.iso8601('2024-01-02T03:04:05.1234567Z'), '2024-01-02T03:04:05.123Z');
  t.equal(p.iso8601('2024-01-02T03:04:05.7-01:00'), '2024-01-02T04:04:05.700Z');
  t.equal(p.iso8601('2024-01-02 03:04:05+0100'), '2024-01-02T02:04:05.000Z');
  t.equal(p.iso8601('2024-01-02T03:04:05'), '2024-01-02T01:04:05.000Z', 'no zone: configured one');
  for (const bad of [
    '2024-01-02',
    '2024-01-02T03:04:05+',
    '2024-01-02T03:04:05.Z',
    '2024/01/02T03:04:05Z',
  ]) {
    t.equal(p.iso8601(bad), undefined, bad);
  }
});

t.test('error-log time uses the configured offset', async (t) => {
  t.equal(new TimeParser(0).errorTime('2024/01/02 03:04:05'), '2024-01-02T03:04:05.000Z');
  t.equal(new TimeParser(-300).errorTime('2024/01/02 23:04:05'), '2024-01-03T04:04:05.000Z');
  t.equal(new TimeParser(0).errorTime('2024-01-02 03:04:05'), undefined);
});

t.test('offsets', async (t) => {
  t.equal(parseOffset('+02:00'), 120);
  t.equal(parseOffset('-05:30'), -330);
  t.equal(parseOffset('+0100'), 60);
  t.equal(parseOffset('-07'), -420);
  t.equal(parseOffset('Z'), 0);
  t.equal(parseOffset('UTC'), 0);
  for (const bad of ['', '02:00', '+2:00', '+02:60', '+24:00', 'CET', '+02:00 ']) {
    t.ok(Number.isNaN(parseOffset(bad)), bad);
  }
});
