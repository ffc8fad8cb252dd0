import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allowedHostNames,
  authorizationMatches,
  hostHeaderName,
  isLoopbackAddress,
  resolveAuthToken,
  tokenDigest,
} from '../../../src/server/access.js';
import { LogpodError } from '../../../src/errors.js';

const TOKEN = 'sixteen-chars-or-more';

t.test('the token comes from a file or a variable, at least 16 characters', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'logpod-token-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'token');
  writeFileSync(file, `${TOKEN}\n`);
  t.equal(resolveAuthToken({ token_file: file, token_env: '' }), TOKEN, 'newline dropped');
  t.equal(resolveAuthToken({ token_file: '', token_env: 'T' }, { T: TOKEN }), TOKEN);
  t.equal(resolveAuthToken({ token_file: '', token_env: 'T' }, {}), undefined, 'unset: none');
  t.equal(resolveAuthToken({ token_file: '', token_env: '' }), undefined);
  t.throws(() => resolveAuthToken({ token_file: '', token_env: 'T' }, { T: 'short' }), {
    code: 'CONFIG_INVALID',
    message: /shorter than 16 characters/,
  });
  const missing = (() => {
    try {
      resolveAuthToken({ token_file: join(dir, 'nope'), token_env: '' });
    } catch (err) {
      return err;
    }
  })();
  t.ok(missing instanceof LogpodError);
  t.match(missing, { code: 'CONFIG_INVALID', message: /cannot read .*nope \(ENOENT\)/ });
});

t.test('authorization: bearer or basic password, nothing else', async (t) => {
  const digest = tokenDigest(TOKEN);
  t.ok(authorizationMatches(`Bearer ${TOKEN}`, digest));
  t.ok(authorizationMatches(`bearer ${TOKEN}`, digest), 'scheme in any case');
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  t.ok(authorizationMatches(basic(`me:${TOKEN}`), digest));
  t.ok(authorizationMatches(basic(`:${TOKEN}`), digest));
  t.notOk(authorizationMatches(basic(`${TOKEN}:x`), digest), 'the user name is not the token');
  t.notOk(authorizationMatches(undefined, digest));
  t.notOk(authorizationMatches(TOKEN, digest), 'no scheme');
  t.notOk(authorizationMatches(`Token ${TOKEN}`, digest));
  t.notOk(authorizationMatches(`Bearer ${TOKEN.toUpperCase()}`, digest));
});

t.test('host names: header parsing, defaults, loopback addresses', async (t) => {
  t.equal(hostHeaderName('Example.COM:8686'), 'example.com');
  t.equal(hostHeaderName('[::1]:8686'), '::1');
  t.equal(hostHeaderName('localhost.'), 'localhost');
  t.equal(hostHeaderName(undefined), undefined);
  t.equal(hostHeaderName('[::1'), undefined);
  t.same(allowedHostNames('0.0.0.0', [], {}).sort(), ['127.0.0.1', '::1', 'localhost']);
  t.same(allowedHostNames('logpod.internal', ['Logs.Example.'], { POD_IP: '10.0.0.5' }).sort(), [
    '10.0.0.5',
    '127.0.0.1',
    '::1',
    'localhost',
    'logpod.internal',
    'logs.example',
  ]);
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    t.ok(isLoopbackAddress(a), a);
  for (const a of ['10.0.0.1', '::ffff:10.0.0.1', 'fd00::1', undefined])
    t.notOk(isLoopbackAddress(a));
});
