import t from 'tap';
import { LatencyHistogram, LATENCY_BOUNDS_MS } from '../../../src/metrics/latency-histogram.js';

t.test('latencies land in the first bucket whose bound holds them', async (t) => {
  const h = new LatencyHistogram();
  for (const ms of [1, 5, 5.5, 100, 99_999]) h.observe(ms);
  t.equal(h.count, 5);
  t.equal(h.sumMs, 1 + 5 + 5.5 + 100 + 99_999);
  t.equal(h.maxMs, 99_999);
  t.equal(h.counts[0], 2, '1 and 5 are <= 5');
  t.equal(h.counts[1], 1, '5.5 is <= 10');
  t.equal(h.counts[LATENCY_BOUNDS_MS.indexOf(100)], 1);
  t.equal(h.counts[LATENCY_BOUNDS_MS.length], 1, 'beyond the last bound');
  t.equal(
    h.counts.reduce((a, b) => a + b, 0),
    5,
  );
});
