import t from 'tap';
import { cutJson, encodeWithin, TAG_OVERSIZE } from '../../../src/pipeline/oversize.js';
import type { EcsEvent } from '../../../src/pipeline/event.js';

const LIMIT = 64 * 1024;

t.test('an event that fits is encoded as is', async (t) => {
  const event: EcsEvent = { event: { original: 'short line', id: 'a-1' }, message: 'x' };
  t.same(JSON.parse(encodeWithin(event, LIMIT)), event);
});

t.test('a too-long original is cut and tagged, identity and parsed fields kept', async (t) => {
  const original = '\\x01'.repeat(100_000); // escapes: JSON makes this even longer
  const event: EcsEvent = {
    '@timestamp': '2026-01-01T00:00:00.000Z',
    event: { original, id: 'src-42' },
    http: { response: { status_code: 400 } },
    log: { file: { path: '/x.log' }, offset: 42 },
  };
  const json = encodeWithin(event, LIMIT);
  t.ok(Buffer.byteLength(json) <= LIMIT, `${Buffer.byteLength(json)} bytes`);
  const out = JSON.parse(json);
  t.equal(out.event.id, 'src-42');
  t.ok(original.startsWith(out.event.original), 'the kept part is a prefix of the line');
  t.same(out.tags, ['_truncated']);
  t.equal(out.http.response.status_code, 400);
  t.equal(event.event.original, original, 'the input event is not changed');
});

t.test('when parsed fields alone are too big, only what identifies the line is kept', async (t) => {
  const huge = 'é'.repeat(200_000);
  const event: EcsEvent = {
    event: { original: huge, id: 'src-7' },
    url: { original: huge },
    log: { offset: 7 },
  };
  const json = encodeWithin(event, LIMIT);
  t.ok(Buffer.byteLength(json) <= LIMIT);
  const out = JSON.parse(json);
  t.equal(out.event.id, 'src-7');
  t.equal(out.log.offset, 7);
  t.equal(out.url, undefined);
  t.ok(out.tags.includes(TAG_OVERSIZE) && out.tags.includes('_truncated'));
});

t.test('control characters (six bytes each in JSON) still leave a useful prefix', async (t) => {
  const original = 'JUNK marker ' + '\u0000'.repeat(1_000_000);
  const json = encodeWithin(
    { event: { original, id: 'x-1' }, tags: ['_parse_failure'] },
    1_000_000,
  );
  t.ok(Buffer.byteLength(json) <= 1_000_000);
  const out = JSON.parse(json);
  t.ok(out.event.original.startsWith('JUNK marker '), 'the start of the line is kept');
  t.ok(out.event.original.length > 100_000, `${out.event.original.length} characters kept`);
  t.same(out.tags, ['_parse_failure', '_truncated']);
});

t.test('cutJson counts escapes and never splits a character', async (t) => {
  t.equal(cutJson('a😀b', 6), 'a', 'the pair is not split');
  t.equal(cutJson('ab', 100), 'ab');
  t.ok(Buffer.byteLength(JSON.stringify(cutJson('\u0001'.repeat(100), 62))) <= 62);
  t.equal(cutJson('abc', 2), '');
});
