import t from 'tap';
import { buildConfig } from '../../../src/config/load.js';
import {
  REDACTED,
  isSecretKey,
  redactConfig,
  redactUrlCredentials,
  redactUrlPath,
  redactValue,
} from '../../../src/config/redact.js';
import { outputOf } from '../../helpers/config.js';

t.test('secret-looking keys', async (t) => {
  for (const key of [
    'password',
    'PASSWORD',
    'kafka_password',
    'secret',
    'client_secret',
    'token',
    'access-token',
    'api_key',
    'apiKey',
    'key_passphrase',
    'db_pass',
    'Authorization',
    'Proxy-Authorization',
    'Cookie',
    'Set-Cookie',
    'aws_credentials',
    'private_key',
  ]) {
    t.ok(isSecretKey(key), key);
  }
  for (const key of ['username', 'key_file', 'tokens', 'passwords_file', 'topic', 'secretary']) {
    t.notOk(isSecretKey(key), key);
  }
});

t.test('credentials in URLs', async (t) => {
  t.equal(
    redactUrlCredentials('https://elastic:changeme@es:9200/_bulk'),
    `https://${REDACTED}@es:9200/_bulk`,
  );
  t.equal(redactUrlCredentials('http://user@host'), `http://${REDACTED}@host`);
  t.equal(redactUrlCredentials('http://host/path?a=b@c'), 'http://host/path?a=b@c');
  t.equal(
    redactUrlCredentials('a http://u:p@x and https://v:q@y/z'),
    `a http://${REDACTED}@x and https://${REDACTED}@y/z`,
  );
  t.equal(redactUrlCredentials('no url here'), 'no url here');
});

t.test('a deep copy, nested and in lists, the original untouched', async (t) => {
  const value = {
    a: { password: 'p1', list: [{ token: 't1' }, 'https://u:p2@host'] },
    fields: { api_key: { nested: 'k1' } },
    plain: 'keep',
  };
  t.same(redactValue(value), {
    a: { password: REDACTED, list: [{ token: REDACTED }, `https://${REDACTED}@host`] },
    fields: { api_key: REDACTED },
    plain: 'keep',
  });
  t.equal(value.a.password, 'p1');
});

t.test('the effective config holds no secret value once redacted', async (t) => {
  const config = buildConfig(
    {
      inputs: [
        {
          paths: ['https://bob:pathsecret@logs/a.log'],
          fields: { deploy_token: 'fieldsecret', url: 'http://x:urlsecret@svc' },
        },
      ],
      output: {
        kafka: {
          brokers: ['k:9092'],
          topic: 't',
          sasl: { mechanism: 'plain', username: 'logpod', password: 'saslsecret' },
          tls: { enabled: true, cert_file: 'c', key_file: 'k', key_passphrase: 'keysecret' },
        },
      },
    },
    'x',
  );
  const text = JSON.stringify(redactConfig(config));
  for (const secret of ['pathsecret', 'fieldsecret', 'urlsecret', 'saslsecret', 'keysecret']) {
    t.notOk(text.includes(secret), secret);
  }
  t.match(text, /"username":"logpod"/);
  t.equal(outputOf(config, 'kafka')?.sasl?.password, 'saslsecret');
});

t.test('an alert webhook shows only its scheme and host; header values are redacted', async (t) => {
  const config = buildConfig(
    {
      inputs: [{ paths: ['a.log'] }],
      output: { stdout: {} },
      alerts: {
        webhook: {
          url: 'https://hooks.slack.com/services/T000/B000/XXXXwebhooksecret',
          headers: { Authorization: 'Bearer headersecret' },
        },
      },
    },
    'x',
  );
  const redacted = redactConfig(config) as { alerts: { webhook: Record<string, unknown> } };
  t.equal(redacted.alerts.webhook.url, 'https://hooks.slack.com/[redacted]');
  t.same(redacted.alerts.webhook.headers, { Authorization: REDACTED });
  const text = JSON.stringify(redacted);
  t.notMatch(text, /webhooksecret|headersecret/);
  t.equal(
    config.alerts.webhook?.url,
    'https://hooks.slack.com/services/T000/B000/XXXXwebhooksecret',
  );
  t.equal(redactUrlPath('https://example.com'), 'https://example.com');
  t.equal(redactUrlPath('https://u:p@example.com:8443/x?y'), 'https://example.com:8443/[redacted]');
  t.equal(redactUrlPath('not a url'), REDACTED);
});
