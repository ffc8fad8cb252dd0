import t from 'tap';
import type { Client } from '@elastic/elasticsearch';
import { createLogger } from '../../../../src/logger.js';
import { BulkWriter, type BulkDoc } from '../../../../src/sinks/elasticsearch/bulk-writer.js';
import { ElasticsearchStats } from '../../../../src/sinks/elasticsearch/stats.js';

/**
 * A stand-in for this module's unit test only: refuses a request of more than `maxBytes`
 * with 413 as a whole, as http.max_content_length does, and creates everything else.
 */
function limitedClient(maxBytes: number, seen: string[]): Client {
  return {
    bulk: ({ operations }: { operations: string[] }) => {
      const bytes = operations.reduce((n, line) => n + line.length + 1, 0);
      if (bytes > maxBytes) {
        return Promise.reject(
          Object.assign(new Error('Request Entity Too Large'), { meta: { statusCode: 413 } }),
        );
      }
      const items = [];
      for (let k = 0; k < operations.length; k += 2) {
        seen.push((JSON.parse(operations[k]) as { create: { _id: string } }).create._id);
        items.push({ create: { status: 201 } });
      }
      return Promise.resolve({ errors: false, items });
    },
  } as unknown as Client;
}

function docs(sizes: number[]): BulkDoc[] {
  return sizes.map((n, i) => ({
    id: `d${i}`,
    index: 'x',
    source: JSON.stringify({ f: 'a'.repeat(n) }),
  }));
}

t.test('a request refused as too large is split in halves until each part fits', async (t) => {
  const seen: string[] = [];
  const stats = new ElasticsearchStats();
  const writer = new BulkWriter(
    limitedClient(1000, seen),
    { initialMs: 1, maxMs: 1 },
    stats,
    createLogger('silent'),
  );
  const results = await writer.write(docs(new Array(20).fill(100)));
  t.ok(results.every((r) => r.outcome === 'indexed'));
  t.same(
    [...seen].sort(),
    docs(new Array(20).fill(100))
      .map((d) => d.id)
      .sort(),
    'each once',
  );
  t.ok(stats.bulkSplits >= 3, `splits counted (${stats.bulkSplits})`);
  t.equal(stats.bulkFailures, 0, 'a split is not a failure');
});

t.test('one document too large alone is rejected (dead letter), the rest indexed', async (t) => {
  const seen: string[] = [];
  const stats = new ElasticsearchStats();
  const writer = new BulkWriter(
    limitedClient(1000, seen),
    { initialMs: 1, maxMs: 1 },
    stats,
    createLogger('silent'),
  );
  const results = await writer.write(docs([100, 100, 5000, 100]));
  t.same(
    results.map((r) => r.outcome),
    ['indexed', 'indexed', 'rejected', 'indexed'],
  );
  const rejected = results[2];
  t.equal(rejected.outcome === 'rejected' && rejected.error.status, 413);
  t.notOk(seen.includes('d2'));
});
