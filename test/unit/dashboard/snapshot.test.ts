import t from 'tap';
import { STATUS_CLASSES, emptyByClass, statusClassIndex } from '../../../src/dashboard/snapshot.js';

t.test('status codes fall in their class; anything else is other', async (t) => {
  const cls = (s: unknown) => STATUS_CLASSES[statusClassIndex(s)];
  t.equal(cls(101), '1xx');
  t.equal(cls(200), '2xx');
  t.equal(cls(304), '3xx');
  t.equal(cls(499), '4xx');
  t.equal(cls(500), '5xx');
  t.equal(cls(599), '5xx');
  for (const odd of [undefined, 0, 99, 600, 999, '200', null])
    t.equal(cls(odd), 'other', String(odd));
  t.same(Object.keys(emptyByClass()), [...STATUS_CLASSES]);
});
