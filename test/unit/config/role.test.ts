// Per-command defaults (role.ts): the agent leaves GeoIP and user agent to the writer, the
// writer leaves Kubernetes metadata to the agent, run does everything; the file always wins.
import t from 'tap';
import { buildConfig, loadConfigText } from '../../../src/config/load.js';
import { applyRoleDefaults, parseRole, roleDefaults, type Role } from '../../../src/config/role.js';
import { LogpodError } from '../../../src/errors.js';

const BASE = 'inputs: [{paths: [x.log]}]\noutput: {stdout: {}}\n';

function enrichOf(yaml: string, role?: Role) {
  const e = loadConfigText(`${BASE}${yaml}`, 't.yaml', {}, role).enrich;
  return {
    geoip: e.geoip.enabled,
    user_agent: e.user_agent.enabled,
    kubernetes: e.kubernetes.enabled,
  };
}

t.test('each command has its own enrichment defaults', async (t) => {
  t.same(enrichOf('', 'agent'), { geoip: false, user_agent: false, kubernetes: true });
  t.same(enrichOf('', 'writer'), { geoip: true, user_agent: true, kubernetes: false });
  t.same(enrichOf('', 'run'), { geoip: true, user_agent: true, kubernetes: true });
  t.same(enrichOf(''), enrichOf('', 'run'), 'no role: the schema defaults, which are run’s');
});

t.test('a key the file sets wins over the role, either way', async (t) => {
  t.same(enrichOf('enrich: {geoip: {enabled: true}}', 'agent'), {
    geoip: true,
    user_agent: false,
    kubernetes: true,
  });
  t.same(
    enrichOf('enrich: {user_agent: {enabled: false}, kubernetes: {enabled: true}}', 'writer'),
    { geoip: true, user_agent: false, kubernetes: true },
  );
  t.same(enrichOf('enrich: {geoip: {enabled: false}}', 'run').geoip, false);
  // Other keys of the same mapping keep their own defaults and values.
  const e = loadConfigText(`${BASE}enrich: {geoip: {cache_size: 50}}`, 't.yaml', {}, 'agent');
  t.equal(e.enrich.geoip.cache_size, 50);
  t.equal(e.enrich.geoip.enabled, false);
});

t.test('an empty value means "not set": the role decides', async (t) => {
  t.same(enrichOf('enrich:\n  geoip:\n    enabled:\n', 'agent').geoip, false);
  t.same(enrichOf('enrich:\n  geoip:\n', 'writer').geoip, true);
});

t.test('a wrong type is still reported by validation, named', async (t) => {
  for (const yaml of ['enrich: nope', 'enrich: {geoip: 3}', 'enrich: {geoip: {enabled: maybe}}']) {
    let error: unknown;
    try {
      loadConfigText(`${BASE}${yaml}`, 't.yaml', {}, 'agent');
    } catch (err) {
      error = err;
    }
    t.ok(error instanceof LogpodError, yaml);
    t.match((error as Error).message, /enrich/, yaml);
  }
});

t.test('the declared per-role keys, and nothing leaks into the caller’s tree', async (t) => {
  t.same(
    roleDefaults('agent').map((d) => d.path.join('.')),
    ['enrich.geoip.enabled', 'enrich.user_agent.enabled', 'enrich.kubernetes.enabled'],
  );
  const tree: Record<string, unknown> = { enrich: { geoip: { enabled: true } } };
  applyRoleDefaults(tree, 'agent');
  t.same(tree, {
    enrich: {
      geoip: { enabled: true },
      user_agent: { enabled: false },
      kubernetes: { enabled: true },
    },
  });
  const raw = { inputs: [{ paths: ['x'] }], output: { stdout: {} } };
  buildConfig(raw, 't', 'writer');
  t.same(raw, { inputs: [{ paths: ['x'] }], output: { stdout: {} } });
  t.equal(parseRole('writer'), 'writer');
  t.equal(parseRole('sidecar'), undefined);
});
