import t from 'tap';
import {
  CLOCK_SKEW_MS,
  candidateIndices,
  parseBackingIndices,
} from '../../../../src/sinks/elasticsearch/rollover-guard.js';

const day = 86_400_000;
const indices = [
  { name: '.ds-s-000001', created: 0 },
  { name: '.ds-s-000002', created: 10 * day },
  { name: '.ds-s-000003', created: 20 * day },
];

t.test('only older backing indices written to at the event time can hold it', async (t) => {
  t.same(candidateIndices(indices, '.ds-s-000003', 5 * day), ['.ds-s-000001', '.ds-s-000002']);
  t.same(candidateIndices(indices, '.ds-s-000003', 15 * day), ['.ds-s-000002']);
  t.same(candidateIndices(indices, '.ds-s-000003', 25 * day), [], 'a fresh event costs nothing');
  t.same(
    candidateIndices(indices, '.ds-s-000003', 20 * day + CLOCK_SKEW_MS - 1),
    ['.ds-s-000002'],
    'an event just after the rollover, within the clock-skew margin, is checked',
  );
  t.same(
    candidateIndices(indices, '.ds-s-000003', NaN),
    ['.ds-s-000001', '.ds-s-000002'],
    'no usable @timestamp: every older index',
  );
  t.same(candidateIndices(indices, '.ds-s-000001', 5 * day), [], 'the oldest has none older');
  t.same(candidateIndices(indices.slice(0, 1), '.ds-s-000001', NaN), []);
});

t.test('backing indices from the settings, oldest first', async (t) => {
  t.same(
    parseBackingIndices({
      '.ds-s-000002': { settings: { index: { creation_date: '200' } } },
      '.ds-s-000001': { settings: { index: { creation_date: '100' } } },
      odd: { settings: {} },
    }),
    [
      { name: '.ds-s-000001', created: 100 },
      { name: '.ds-s-000002', created: 200 },
    ],
  );
  t.same(parseBackingIndices(null), []);
});
