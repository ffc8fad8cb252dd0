import t from 'tap';
import { loadConfigText } from '../../../src/config/load.js';
import { transportWarnings } from '../../../src/config/transport-warnings.js';

const INPUTS = 'inputs:\n  - paths: [/var/log/nginx/access.log]\n';

function warnings(yaml: string): string[] {
  return transportWarnings(loadConfigText(yaml, 'x.yaml', {}));
}

t.test('nothing to say about a config without credentials or with TLS', async (t) => {
  t.same(warnings(`${INPUTS}output:\n  kafka: { brokers: [k:9092], topic: t }\n`), []);
  t.same(
    warnings(
      `${INPUTS}output:\n  kafka:\n    brokers: [k:9092]\n    topic: t\n    tls: { enabled: true }\n` +
        '    sasl: { mechanism: plain, username: u, password: p }\n',
    ),
    [],
  );
  t.same(
    warnings(
      `${INPUTS}output:\n  elasticsearch: { hosts: ['https://es:9200'], username: u, password: p }\n`,
    ),
    [],
  );
});

t.test('SASL PLAIN without TLS, basic auth over http, no verification', async (t) => {
  t.same(
    warnings(
      `${INPUTS}output:\n  kafka:\n    brokers: [k:9092]\n    topic: t\n` +
        '    sasl: { mechanism: plain, username: u, password: pw-SECRET }\n',
    ),
    [
      'output.kafka.sasl: PLAIN credentials travel without TLS (set output.kafka.tls.enabled: true)',
    ],
  );
  const es = warnings(
    `${INPUTS}output:\n  elasticsearch:\n    hosts: ['http://u:pw-SECRET@es:9200']\n` +
      '    tls: { reject_unauthorized: false }\n',
  );
  t.equal(es.length, 2);
  t.match(es[0], /credentials travel without TLS to http:\/\/\[redacted\]@es:9200/);
  t.match(es[1], /output\.elasticsearch\.tls\.reject_unauthorized: false/);
  const hook = warnings(
    `${INPUTS}output: { stdout: {} }\nalerts:\n  webhook:\n    url: http://hooks.example/T0-SECRET\n` +
      '    headers: { Authorization: Bearer hdr-SECRET }\n',
  );
  t.same(hook, [
    'alerts.webhook: credentials travel without TLS to http://hooks.example/[redacted] (use https://)',
  ]);
  t.notMatch([...es, ...hook].join('\n'), /SECRET/);
});
