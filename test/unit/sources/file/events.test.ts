import t from 'tap';
import { FILE_INPUT_EVENTS } from '../../../../src/sources/file/events.js';
import { captureLogger, RecordedEvents } from './helpers.js';

const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });

t.test('every event starts at zero and is counted each time', async (t) => {
  const events = new RecordedEvents();
  t.same(Object.keys(events.counts).sort(), [...FILE_INPUT_EVENTS].sort());
  t.ok(Object.values(events.counts).every((n) => n === 0));
  events.emitDirectoryMatched('/logs/a.log');
  events.emitDirectoryMatched('/logs/a.log');
  events.emitFileRewritten('/logs/b.log', 'old', 'new');
  t.equal(events.counts.directory_matched, 2);
  t.equal(events.counts.file_rewritten, 1);
  t.same(events.seen, [
    { event: 'directory_matched', path: '/logs/a.log' },
    { event: 'directory_matched', path: '/logs/a.log' },
    { event: 'file_rewritten', path: '/logs/b.log', previousSourceId: 'old', sourceId: 'new' },
  ]);
});

t.test('a repeating event is logged once per key until the file opens again', async (t) => {
  const { logger, records } = captureLogger();
  const events = new RecordedEvents(logger);
  events.emitFileUnreadable('/logs/secret.log', denied);
  events.emitFileUnreadable('/logs/secret.log', denied);
  events.emitFileUnreadable('/logs/other.log', new Error('EIO'));
  t.equal(events.counts.file_unreadable, 3, 'counted every time');
  t.same(
    records.map((r) => [r.level, r.path]),
    [
      [40, '/logs/secret.log'],
      [40, '/logs/other.log'],
    ],
    'logged once per file',
  );
  t.match(records[0], { err: { code: 'EACCES' } }, 'with the error serialized');
  events.emitFileOpened('/logs/secret.log');
  events.emitFileUnreadable('/logs/secret.log', denied);
  t.equal(records.length, 3, 'after it opened once, the next failure is logged at once');
  t.equal(records[2].path, '/logs/secret.log');
});

t.test('registry write failures: each counted, logged once, recovery said once', async (t) => {
  const { logger, records } = captureLogger();
  const events = new RecordedEvents(logger);
  events.emitRegistryWriteFailed('/data/registry.json', new Error('EROFS'), 1);
  events.emitRegistryWriteFailed('/data/registry.json', new Error('EROFS'), 2);
  events.emitRegistryWriteRecovered('/data/registry.json');
  t.equal(events.counts.registry_write_failed, 2);
  t.equal(events.counts.registry_write_recovered, 1);
  t.same(
    records.map((r) => r.level),
    [50, 30],
    'one error line, then one info line',
  );
});
