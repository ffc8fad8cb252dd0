import t from 'tap';
import { pino } from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { buildStages } from '../../../src/cli/build-pipeline.js';
import { EnrichStage } from '../../../src/enrich/event-stage.js';
import { AlertEngine } from '../../../src/alerts/alert-engine.js';

const logger = pino({ level: 'silent' });
const NO_ENRICH =
  'enrich: {geoip: {enabled: false}, user_agent: {enabled: false}, kubernetes: {enabled: false}}';
const RULES = 'alerts: {rules: [{name: quiet, type: no_events, window: 1m}]}';

function config(yaml: string) {
  return loadConfigText(
    `inputs: [{paths: [x.log]}]\noutput: {stdout: {}}\n${yaml}`,
    'test.yaml',
    {},
  );
}

t.test('nothing enabled, no stage: events go straight to the output', async (t) => {
  t.same(await buildStages(config(NO_ENRICH), logger, {}), []);
});

t.test('alerts are a stage of their own, after enrichment', async (t) => {
  const both = await buildStages(
    config(`enrich: {geoip: {enabled: false}, user_agent: {enabled: true}}\n${RULES}`),
    logger,
    {},
  );
  t.teardown(() => both.forEach((s) => s.close?.()));
  t.equal(both.length, 2);
  t.ok(both[0] instanceof EnrichStage, 'enrichment first');
  t.ok(both[1] instanceof AlertEngine, 'then alerts, which see enriched events');

  const alertsOnly = await buildStages(config(`${NO_ENRICH}\n${RULES}`), logger, {});
  t.teardown(() => alertsOnly.forEach((s) => s.close?.()));
  t.equal(alertsOnly.length, 1);
  t.ok(alertsOnly[0] instanceof AlertEngine);
});
