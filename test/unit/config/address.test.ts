import t from 'tap';
import { parseHostPort, splitBrokers, tryParseHostPort } from '../../../src/config/address.js';

t.test('host names, IPv4 and bracketed IPv6 with a port', async (t) => {
  t.same(parseHostPort('127.0.0.1:8686'), { host: '127.0.0.1', port: 8686 });
  t.same(parseHostPort('0.0.0.0:0'), { host: '0.0.0.0', port: 0 });
  t.same(parseHostPort('kafka-0.kafka.svc:9092'), { host: 'kafka-0.kafka.svc', port: 9092 });
  t.same(parseHostPort('[::1]:8686'), { host: '::1', port: 8686 });
});

t.test('not HOST:PORT', async (t) => {
  for (const bad of [
    'localhost',
    ':8686',
    'host:',
    'host:65536',
    'host:80a',
    '::1:80',
    '[]:80',
    'a b:80',
    'h:123456',
  ]) {
    t.equal(tryParseHostPort(bad), undefined, bad);
  }
  t.equal(tryParseHostPort(8686), undefined);
  t.throws(() => parseHostPort('localhost'), { code: 'CONFIG_INVALID' });
});

t.test('a minimum port excludes 0 for brokers', async (t) => {
  t.equal(tryParseHostPort('kafka:0', 1), undefined);
  t.same(tryParseHostPort('kafka:1', 1), { host: 'kafka', port: 1 });
});

t.test('one item may list several brokers', async (t) => {
  t.same(splitBrokers('a:9092, b:9092'), ['a:9092', 'b:9092']);
  t.same(splitBrokers('a:9092'), ['a:9092']);
});
