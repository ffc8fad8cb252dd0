import t from 'tap';
import { enrichmentNote } from '../../../src/dashboard/enrichment-note.js';

t.test('the agent with its defaults names the writer as where geo comes from', async (t) => {
  t.equal(
    enrichmentNote({ role: 'agent', geoip: false, userAgent: false }),
    "GeoIP and user-agent enrichment run in the writer, not in this agent: countries, cities and bots show on the writer's dashboard.",
  );
  t.match(
    enrichmentNote({ role: 'agent', geoip: false, userAgent: true }),
    /^GeoIP enrichment runs in the writer.*countries and cities/,
  );
  t.match(
    enrichmentNote({ role: 'agent', geoip: true, userAgent: false }),
    /^User-agent enrichment runs in the writer.*bots/,
  );
});

t.test('enriching here: nothing to say', async (t) => {
  t.equal(enrichmentNote({ role: 'agent', geoip: true, userAgent: true }), undefined);
  t.equal(enrichmentNote({ role: 'run', geoip: true, userAgent: true }), undefined);
});

t.test('run has no writer: the note names the key that turned it off', async (t) => {
  t.equal(
    enrichmentNote({ role: 'run', geoip: false, userAgent: true }),
    'GeoIP enrichment is off (enrich.geoip.enabled): no countries and cities here.',
  );
});
