import t from 'tap';
import { LogpodError } from '../../../src/errors.js';
import {
  formatDuration,
  formatSize,
  parseDuration,
  parseSize,
  tryParseDuration,
  tryParseRatio,
  tryParseSize,
} from '../../../src/config/units.js';

t.test('durations in every unit become milliseconds', async (t) => {
  t.equal(parseDuration('250ms'), 250);
  t.equal(parseDuration('5s'), 5000);
  t.equal(parseDuration('2m'), 120_000);
  t.equal(parseDuration('1h'), 3_600_000);
  t.equal(parseDuration('1d'), 86_400_000);
  t.equal(parseDuration('1.5s'), 1500);
  t.equal(parseDuration('0s'), 0);
});

t.test('a plain number, or a string of digits, is milliseconds', async (t) => {
  t.equal(parseDuration(1500), 1500);
  t.equal(parseDuration('1500'), 1500);
  t.equal(parseDuration(0), 0);
});

t.test('bad durations are rejected with the accepted forms in the message', async (t) => {
  for (const bad of ['5 s', '5sec', 's', '', '-1s', '1.s', '.5s', '1h30m', '5S', 'abc']) {
    t.equal(tryParseDuration(bad), undefined, bad);
  }
  for (const bad of [-1, 1.5, Number.NaN, Infinity, true, null, [], {}]) {
    t.equal(tryParseDuration(bad), undefined, String(bad));
  }
  t.throws(() => parseDuration('5 sec'), { code: 'CONFIG_INVALID', message: /"5 sec".*250ms/ });
  t.throws(() => parseDuration('5 sec'), LogpodError);
});

t.test('sizes: binary units are powers of 1024, decimal ones of 1000', async (t) => {
  t.equal(parseSize('512KiB'), 512 * 1024);
  t.equal(parseSize('1MiB'), 1024 * 1024);
  t.equal(parseSize('16MiB'), 16 * 1024 * 1024);
  t.equal(parseSize('1GiB'), 1024 ** 3);
  t.equal(parseSize('1KB'), 1000);
  t.equal(parseSize('2MB'), 2_000_000);
  t.equal(parseSize('1GB'), 1e9);
  t.equal(parseSize('100B'), 100);
  t.equal(parseSize('1.5KiB'), 1536);
});

t.test('a plain number, or a string of digits, is bytes', async (t) => {
  t.equal(parseSize(4096), 4096);
  t.equal(parseSize('4096'), 4096);
});

t.test('bad sizes are rejected', async (t) => {
  for (const bad of ['1 MiB', '1mib', '1kb', '1K', 'MiB', '', '-1KiB', '1e3']) {
    t.equal(tryParseSize(bad), undefined, bad);
  }
  for (const bad of [-5, 0.5, false, null]) t.equal(tryParseSize(bad), undefined, String(bad));
  t.throws(() => parseSize('lots'), { code: 'CONFIG_INVALID' });
});

t.test('formatting picks the largest exact unit', async (t) => {
  t.equal(formatDuration(90_000), '90s');
  t.equal(formatDuration(1500), '1500ms');
  t.equal(formatDuration(86_400_000), '1d');
  t.equal(formatDuration(0), '0ms');
  t.equal(formatSize(1024 * 1024), '1MiB');
  t.equal(formatSize(1000), '1000B');
  t.equal(formatSize(64 * 1024), '64KiB');
});

t.test('ratios: a share above 0 and at most 1, or a percentage', async (t) => {
  t.equal(tryParseRatio(0.05), 0.05);
  t.equal(tryParseRatio('0.05'), 0.05);
  t.equal(tryParseRatio('5%'), 0.05);
  t.equal(tryParseRatio('100%'), 1);
  t.equal(tryParseRatio(1), 1);
  for (const bad of [0, -0.1, 1.5, '5', '0%', '101%', 'five', '%', true, null]) {
    t.equal(tryParseRatio(bad), undefined, String(bad));
  }
});
