import t, { type Test } from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

async function tempConfig(t: Test, text: string): Promise<string> {
  const dir = t.testdir();
  const path = join(dir, 'logpod.yaml');
  await writeFile(path, text);
  return path;
}

t.test('a valid config prints the effective config with secrets redacted', async (t) => {
  const path = await tempConfig(
    t,
    `inputs:
  - paths: [/var/log/nginx/access.log]
output:
  kafka:
    brokers: [kafka:9092]
    topic: logs
    sasl: { mechanism: plain, username: shipper, password: "\${KAFKA_PASSWORD}" }
`,
  );
  const res = await runCli(['check', '--config', path], {
    env: { KAFKA_PASSWORD: 'hunter2-secret' },
  });
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /valid/);
  t.match(res.stdout, /username: shipper/);
  t.notMatch(res.stdout + res.stderr, /hunter2-secret/, 'the secret never appears');
  t.match(res.stdout, /start_at: end/, 'defaults are filled in');
});

t.test('an invalid config exits 2 and names every problem with its key path', async (t) => {
  const path = await tempConfig(
    t,
    `inputs:
  - pathz: [/x]
    start_at: middle
output:
  stdout: {}
`,
  );
  const res = await runCli(['check', '--config', path]);
  t.equal(res.code, 2);
  t.match(res.stderr, /inputs\[0\]\.pathz: unknown key "pathz" \(did you mean "paths"\?\)/);
  t.match(res.stderr, /inputs\[0\]\.start_at: .*beginning, end/);
  t.match(res.stderr, /inputs\[0\]\.paths/);
  t.equal(res.stdout, '', 'nothing printed as if it were valid');
});

t.test('a missing file and a missing --config are usage errors', async (t) => {
  const missing = await runCli(['check', '--config', '/nonexistent/logpod.yaml']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /nonexistent\/logpod\.yaml/);
  const noFlag = await runCli(['check']);
  t.equal(noFlag.code, 2);
  t.match(noFlag.stderr, /--config/);
});

t.test('the shipped configs pass check', async (t) => {
  for (const file of ['config/logpod.yaml', 'config/standalone.yaml', 'config/agent.yaml']) {
    const res = await runCli(['check', '--config', file]);
    t.equal(res.code, 0, `${file}: ${res.stderr}`);
  }
});

t.test('regression: fields under secret-looking keys are redacted in check', async (t) => {
  const path = await tempConfig(
    t,
    `inputs:
  - paths: [/var/log/nginx/access.log]
    fields:
      db_pass: pass-SECRET-1
      headers: { Authorization: "Bearer auth-SECRET-2", Cookie: "sid=cookie-SECRET-3" }
      service: { name: shop }
output:
  stdout: {}
`,
  );
  const res = await runCli(['check', '--config', path]);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /name: shop/, 'other fields are shown');
  t.match(res.stdout, /db_pass: "?\[redacted\]/);
  t.notMatch(res.stdout + res.stderr, /SECRET/);
});

t.test('regression: check warns when credentials would travel in clear text', async (t) => {
  const path = await tempConfig(
    t,
    `inputs:
  - paths: [/var/log/nginx/access.log]
output:
  kafka:
    brokers: [kafka:9092]
    topic: logs
    sasl: { mechanism: plain, username: shipper, password: pw-SECRET }
`,
  );
  const res = await runCli(['check', '--config', path]);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stderr, /warning: output\.kafka\.sasl: PLAIN credentials travel without TLS/);
  const es = await tempConfig(
    t,
    `writer:
  kafka:
    brokers: [kafka:9092]
    topic: logs
    tls: { enabled: true, reject_unauthorized: false }
output:
  elasticsearch:
    hosts: ['http://es:9200']
    username: elastic
    password: pw-SECRET
`,
  );
  const res2 = await runCli(['check', '--config', es]);
  t.equal(res2.code, 0, res2.stderr);
  t.match(
    res2.stderr,
    /warning: output\.elasticsearch: credentials travel without TLS to http:\/\/es:9200/,
  );
  t.match(res2.stderr, /warning: writer\.kafka\.tls\.reject_unauthorized: false/);
  t.notMatch(res2.stdout + res2.stderr, /SECRET/);
});

t.test('regression: a prototype key in the config exits 2 naming its path', async (t) => {
  const path = await tempConfig(
    t,
    `inputs:
  - paths: [/var/log/nginx/access.log]
    fields: { __proto__: { polluted: true } }
output:
  stdout: {}
`,
  );
  const res = await runCli(['check', '--config', path]);
  t.equal(res.code, 2);
  t.match(res.stderr, /inputs\[0\]\.fields\.__proto__: key "__proto__" is not allowed/);
});

t.test('--role prints the config as that command uses it; the file still wins', async (t) => {
  const path = await tempConfig(
    t,
    'inputs: [{paths: [/var/log/nginx/access.log]}]\noutput: {stdout: {}}\nenrich: {user_agent: {enabled: true}}\n',
  );
  const enabled = (out: string, part: string) =>
    new RegExp(`\\n  ${part}:\\n    enabled: (\\w+)`).exec(out)?.[1];
  const agent = await runCli(['check', '--config', path, '--role', 'agent']);
  t.equal(agent.code, 0, agent.stderr);
  t.match(agent.stdout, /: valid\n# as `logpod agent` uses it/);
  t.equal(enabled(agent.stdout, 'geoip'), 'false', 'the agent leaves GeoIP to the writer');
  t.equal(enabled(agent.stdout, 'user_agent'), 'true', 'the file turned it on');
  t.equal(enabled(agent.stdout, 'kubernetes'), 'true');
  const writer = await runCli(['check', '--config', path, '--role', 'writer']);
  t.equal(enabled(writer.stdout, 'geoip'), 'true');
  t.equal(enabled(writer.stdout, 'kubernetes'), 'false');
  const run = await runCli(['check', '--config', path]);
  t.match(run.stdout, /\n# as `logpod run` uses it/);
  t.equal(enabled(run.stdout, 'geoip'), 'true');
  const bad = await runCli(['check', '--config', path, '--role', 'sidecar']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--role must be one of agent, writer, run, got "sidecar"/);
});
