import t from 'tap';
import {
  IndexNamer,
  defaultTemplateName,
  indexPattern,
  safeDataset,
  templateTargets,
} from '../../../../src/sinks/elasticsearch/index-name.js';

t.test('data stream names from the dataset', async (t) => {
  const namer = new IndexNamer('logs-{{dataset}}-default');
  t.equal(namer.name('nginx.access', undefined, 0), 'logs-nginx.access-default');
  t.equal(namer.name('nginx.error', undefined, 0), 'logs-nginx.error-default');
  t.equal(namer.name(undefined, undefined, 0), 'logs-generic-default');
  t.equal(namer.name('Bad Name/X', undefined, 0), 'logs-bad_name_x-default');
  t.equal(namer.dated, false);
});

t.test('dated indices from @timestamp in UTC, else the fallback time', async (t) => {
  const namer = new IndexNamer('logpod-{{dataset}}-%Y.%m.%d');
  t.equal(
    namer.name('nginx.access', '2026-03-04T23:30:00+02:00', 0),
    'logpod-nginx.access-2026.03.04',
  );
  t.equal(
    namer.name('nginx.access', '2026-03-04T23:30:00-02:00', 0),
    'logpod-nginx.access-2026.03.05',
  );
  t.equal(
    namer.name('nginx.access', 'garbage', Date.UTC(2025, 11, 31)),
    'logpod-nginx.access-2025.12.31',
  );
  t.equal(namer.dated, true);
});

t.test('template patterns and names', async (t) => {
  t.equal(indexPattern('logs-{{dataset}}-default'), 'logs-*-default');
  t.equal(indexPattern('logpod-{{dataset}}-%Y.%m.%d'), 'logpod-*-*.*.*');
  t.equal(indexPattern('logpod-%Y%m%d'), 'logpod-*');
  t.equal(defaultTemplateName('logs-*-default'), 'logpod-logs-x-default');
  t.equal(safeDataset('a'.repeat(300)).length, 100);
});

t.test('templates match exactly the datasets logpod writes', async (t) => {
  const datasets = ['nginx.access', 'nginx.error', 'generic'];
  t.same(
    templateTargets('logs-{{dataset}}-default', 'data_stream', datasets).map((x) => x.pattern),
    ['logs-nginx.access-*', 'logs-nginx.error-*', 'logs-generic-*'],
    'every namespace of each dataset, never logs-*-default',
  );
  t.same(
    templateTargets('logpod-{{dataset}}-%Y.%m.%d', 'index', ['nginx.access']).map((x) => x.pattern),
    ['logpod-nginx.access-*.*.*'],
  );
  t.same(templateTargets('weblogs', 'data_stream', datasets), [
    { dataset: undefined, pattern: 'weblogs' },
  ]);
  t.same(
    templateTargets('app-{{dataset}}', 'data_stream', ['a', 'a']).map((x) => x.pattern),
    ['app-a'],
  );
});
