import t from 'tap';
import {
  LatencyHistogram,
  LATENCY_BUCKETS_MS,
  KafkaSinkStats,
} from '../../../../src/sinks/kafka/stats.js';

t.test('latencies land in the first bucket whose bound holds them; sums follow', async (t) => {
  const h = new LatencyHistogram();
  for (const ms of [1, 5, 5.5, 100, 99_999]) h.observe(ms);
  t.equal(h.count, 5);
  t.equal(h.sum, 1 + 5 + 5.5 + 100 + 99_999);
  t.equal(h.counts[0], 2, '1 and 5 are <= 5');
  t.equal(h.counts[1], 1, '5.5 is <= 10');
  t.equal(h.counts[LATENCY_BUCKETS_MS.indexOf(100)], 1);
  t.equal(h.counts[LATENCY_BUCKETS_MS.length], 1, 'beyond the last bound');
  t.equal(h.sums[LATENCY_BUCKETS_MS.length], 99_999);
  t.equal(
    h.counts.reduce((a, b) => a + b, 0),
    5,
  );
});

t.test('the last error is kept with its time', async (t) => {
  const s = new KafkaSinkStats();
  s.recordError(new Error('down'), 1234);
  s.recordError('odd', 2345);
  t.equal(s.errors, 2);
  t.same(s.lastError, { message: 'odd', at: 2345 });
});
