import t from 'tap';
import { didYouMean, editDistance } from '../../../src/config/did-you-mean.js';

const INPUT_KEYS = [
  'type',
  'id',
  'paths',
  'exclude',
  'format',
  'log_format',
  'start_at',
  'tags',
  'fields',
];

t.test('typos find the key they were meant to be', async (t) => {
  t.equal(didYouMean('pathz', INPUT_KEYS), 'paths');
  t.equal(didYouMean('path', INPUT_KEYS), 'paths');
  t.equal(didYouMean('fromat', INPUT_KEYS), 'format');
  t.equal(didYouMean('startAt', INPUT_KEYS), 'start_at');
  t.equal(didYouMean('Log-Format', INPUT_KEYS), 'log_format');
  t.equal(didYouMean('excludes', INPUT_KEYS), 'exclude');
});

t.test('no suggestion for a word that is not close to any key', async (t) => {
  t.equal(didYouMean('compression', INPUT_KEYS), undefined);
  t.equal(didYouMean('x', INPUT_KEYS), undefined);
});

t.test('a swap of neighbours counts as one edit', async (t) => {
  t.equal(editDistance('inptus', 'inputs'), 1);
  t.equal(editDistance('kitten', 'sitting'), 3);
  t.equal(editDistance('', 'abc'), 3);
});
