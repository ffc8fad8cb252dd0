import t from 'tap';
import { formatKeyPath } from '../../../src/config/key-path.js';

t.test('paths read as users write them', async (t) => {
  t.equal(formatKeyPath(['inputs', 0, 'paths']), 'inputs[0].paths');
  t.equal(formatKeyPath(['output', 'kafka', 'brokers', 2]), 'output.kafka.brokers[2]');
  t.equal(
    formatKeyPath(['inputs', 1, 'fields', 'service.name']),
    'inputs[1].fields["service.name"]',
  );
  t.equal(formatKeyPath(['a b']), '["a b"]');
  t.equal(formatKeyPath([]), '(root)');
});
