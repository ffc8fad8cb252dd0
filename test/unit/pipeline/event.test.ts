import t from 'tap';
import { addTag, mergeMissing, type EcsEvent } from '../../../src/pipeline/event.js';

t.test('mergeMissing copies nested objects instead of sharing them', async (t) => {
  const extra = { labels: { team: 'a' } };
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  mergeMissing(a, extra);
  mergeMissing(b, extra);
  (a.labels as Record<string, string>).team = 'changed';
  t.same(b.labels, { team: 'a' });
});

t.test('addTag adds a tag once', async (t) => {
  const event: EcsEvent = { event: { original: 'x' } };
  addTag(event, 'a');
  addTag(event, 'b');
  addTag(event, 'a');
  t.same(event.tags, ['a', 'b']);
});
