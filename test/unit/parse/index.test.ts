import t from 'tap';
import { LogpodError } from '../../../src/errors.js';
import { createParser } from '../../../src/parse/index.js';
import type { ParserOptions } from '../../../src/parse/index.js';

function refusal(opts: unknown): string {
  try {
    createParser(opts as ParserOptions);
  } catch (err) {
    if (err instanceof LogpodError && err.code === 'LOG_FORMAT_INVALID') return err.message;
    return `unexpected ${String(err)}`;
  }
  return 'accepted';
}

t.test('every format builds a parser', async (t) => {
  for (const format of ['combined', 'main', 'json', 'error'] as const) {
    const p = createParser({ format });
    const ev = p.parse('x');
    t.equal(ev.event.original, 'x', format);
    t.same(ev.tags, ['_parse_failure'], format);
    t.equal(ev.event.dataset, format === 'error' ? 'nginx.error' : 'nginx.access');
  }
  const custom = createParser({ format: 'custom', logFormat: '$remote_addr $status' });
  t.same(custom.parse('10.0.0.1 200').http, { response: { status_code: 200 } });
});

t.test('bad options are refused at construction with a message naming the problem', async (t) => {
  t.match(refusal({ format: 'apache' }), /unknown format "apache"/);
  t.match(refusal({ format: 'custom' }), /needs a non-empty logFormat/);
  t.match(refusal({ format: 'combined', logFormat: '$status' }), /only used with format "custom"/);
  t.match(refusal({ format: 'error', timezone: 'Europe/Paris' }), /timezone "Europe\/Paris"/);
  t.match(refusal({ format: 'error', timezone: '+25:00' }), /timezone/);
  t.match(refusal(null), /missing/);
  t.match(refusal({ format: 'custom', logFormat: '$a$b' }), /\$a and \$b are adjacent/);
  t.equal(refusal({ format: 'error', timezone: '+02:00' }), 'accepted');
  t.equal(refusal({ format: 'error', timezone: '-0530' }), 'accepted');
  t.equal(refusal({ format: 'combined', timezone: 'Z' }), 'accepted');
});

t.test('parsers are independent: one per file keeps its own time cache', async (t) => {
  const a = createParser({ format: 'error', timezone: '+01:00' });
  const b = createParser({ format: 'error' });
  const l = '2024/01/02 03:04:05 [error] 1#1: x';
  t.equal(a.parse(l)['@timestamp'], '2024-01-02T02:04:05.000Z');
  t.equal(b.parse(l)['@timestamp'], '2024-01-02T03:04:05.000Z');
  t.equal(a.parse(l)['@timestamp'], '2024-01-02T02:04:05.000Z');
});

t.test('events are fresh objects: mutating one does not leak into the next', async (t) => {
  const p = createParser({ format: 'combined' });
  const bad1 = p.parse('bad');
  bad1.tags!.push('mine');
  t.same(p.parse('bad').tags, ['_parse_failure']);
  const l = '1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-"';
  const e1 = p.parse(l);
  (e1.url as Record<string, unknown>).path = 'changed';
  t.equal((p.parse(l).url as { path: string }).path, '/');
});
