import t from 'tap';
import { classifyItem, itemError } from '../../../../src/sinks/elasticsearch/item-result.js';

t.test('the classification table', async (t) => {
  const table: [number, string][] = [
    [200, 'indexed'],
    [201, 'indexed'],
    [409, 'duplicate'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [401, 'retry'],
    [403, 'retry'],
    [400, 'rejected'],
    [404, 'rejected'],
    [413, 'rejected'],
  ];
  for (const [status, outcome] of table) t.equal(classifyItem(status), outcome, String(status));
});

t.test('item errors keep type, reason and cause, bounded', async (t) => {
  t.same(
    itemError(400, {
      type: 'document_parsing_exception',
      reason: 'failed to parse field [http.response.status_code]',
      caused_by: { reason: 'For input string: "abc"' },
    }),
    {
      type: 'document_parsing_exception',
      reason: 'failed to parse field [http.response.status_code]: For input string: "abc"',
      status: 400,
    },
  );
  t.same(itemError(400, undefined), { type: 'unknown', reason: '', status: 400 });
  t.ok(itemError(400, { type: 'x', reason: 'r'.repeat(5000) }).reason.length <= 1003);
});
