import t from 'tap';
import { KafkaSinkStats } from '../../../../src/sinks/kafka/stats.js';

t.test('the last error is kept with its time; each failed attempt counts', async (t) => {
  const s = new KafkaSinkStats();
  s.recordError(new Error('down'), 1234);
  s.recordError('odd', 2345);
  t.equal(s.errors, 2);
  t.same(s.lastError, { message: 'odd', at: 2345 });
});
