import t from 'tap';
import { TopicTemplate } from '../../../../src/sinks/kafka/topic-template.js';

const origin = (inputId: string, format: string) => ({ inputId, format, sourceId: 'src-1' });

t.test('a plain topic is fixed: known before any event, used for every batch', async (t) => {
  const tpl = new TopicTemplate('nginx-logs');
  t.equal(tpl.fixed, 'nginx-logs');
  t.equal(tpl.resolve(origin('web', 'main')), 'nginx-logs');
  t.equal(tpl.resolve(undefined), 'nginx-logs', 'a batch without origin is fine');
});

t.test('{{format}} and {{input}} are replaced from the origin', async (t) => {
  const tpl = new TopicTemplate('logs.{{input}}.{{format}}-v1');
  t.equal(tpl.fixed, undefined, 'not known before a batch comes');
  t.equal(tpl.resolve(origin('web', 'main')), 'logs.web.main-v1');
  t.equal(tpl.resolve(origin('edge', 'error')), 'logs.edge.error-v1');
  t.equal(tpl.resolve(origin('web', 'main')), 'logs.web.main-v1', 'same origin, same topic');
  t.equal(new TopicTemplate('{{format}}').resolve(origin('a', 'json')), 'json');
  t.equal(new TopicTemplate('{{input}}{{input}}').resolve(origin('a', 'json')), 'aa');
});

t.test('input and format cannot be mixed up across origins sharing a prefix', async (t) => {
  const tpl = new TopicTemplate('{{input}}-{{format}}');
  t.equal(tpl.resolve(origin('a-b', 'c')), 'a-b-c');
  t.equal(tpl.resolve(origin('a', 'b-c')), 'a-b-c');
  t.equal(tpl.resolve(origin('x', 'main')), 'x-main');
});

t.test('other {{...}} text stays as written', async (t) => {
  const tpl = new TopicTemplate('a{{host}}b');
  t.equal(tpl.fixed, 'a{{host}}b');
  t.equal(new TopicTemplate('a{{b').fixed, 'a{{b');
});

t.test('a templated topic needs the batch origin: a clear error without one', async (t) => {
  const tpl = new TopicTemplate('logs-{{format}}');
  t.throws(() => tpl.resolve(undefined), { code: 'OUTPUT_WRITE', message: /logs-\{\{format\}\}/ });
});
