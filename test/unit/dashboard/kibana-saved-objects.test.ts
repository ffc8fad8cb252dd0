// docker/kibana/saved-objects.ndjson, which the compose stack imports into Kibana: every
// line is a saved object, every reference resolves inside the file, and every field a
// visualization reads is one the writer's index template maps (or the enrichment adds).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ECS_MAPPINGS } from '../../../src/sinks/elasticsearch/template.js';

const FILE = new URL('../../../docker/kibana/saved-objects.ndjson', import.meta.url);
const TYPES = new Set(['index-pattern', 'map', 'dashboard', 'lens', 'visualization', 'search']);
/** Set by src/enrich but (possibly) left to dynamic mapping by the template. */
const ENRICHMENT_FIELDS = new Set(['user_agent.bot', 'source.geo.region_iso_code']);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Ref {
  name: string;
  type: string;
  id: string;
}

function templateFields(): Set<string> {
  const out = new Set<string>();
  const walk = (props: Obj, prefix: string) => {
    for (const [name, def] of Object.entries(props)) {
      const path = `${prefix}${name}`;
      if (def.properties) walk(def.properties, `${path}.`);
      else out.add(path);
      if (def.fields) for (const sub of Object.keys(def.fields)) out.add(`${path}.${sub}`);
    }
  };
  walk(ECS_MAPPINGS.properties as Obj, '');
  return out;
}

/** Field names in our KQL strings ("a.b >= 1 and c : \"x\""). */
function kqlFields(query: string): string[] {
  return [...query.matchAll(/([A-Za-z_@][\w.@]*)\s*(?::|>=|<=|>|<)/g)].map((m) => m[1]);
}

const lines = readFileSync(FILE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const objects: Obj[] = lines.map((l) => JSON.parse(l));
const byKey = new Map(objects.map((o) => [`${o.type}/${o.id}`, o]));
const dashboard = objects.find((o) => o.type === 'dashboard')!;
const panels: Obj[] = dashboard ? JSON.parse(dashboard.attributes.panelsJSON) : [];
const lensPanels = panels.filter((p) => p.type === 'lens');
const map = objects.find((o) => o.type === 'map')!;
const layers: Obj[] = map ? JSON.parse(map.attributes.layerListJSON) : [];

t.test('every line is a saved object of a known type with a unique id', async (t) => {
  t.ok(lines.length >= 3);
  for (const o of objects) {
    t.type(o.id, 'string');
    t.ok(TYPES.has(o.type), `${o.id}: type ${o.type}`);
    t.type(o.attributes, 'object');
    t.ok(Array.isArray(o.references), `${o.id}: references[]`);
  }
  t.equal(byKey.size, objects.length, 'no two objects share type and id');
});

t.test('the data view covers the writer data streams, by @timestamp', async (t) => {
  const dv = objects.filter((o) => o.type === 'index-pattern');
  t.equal(dv.length, 1);
  t.equal(dv[0].attributes.title, 'logs-nginx.*');
  t.equal(dv[0].attributes.timeFieldName, '@timestamp');
  const formats = JSON.parse(dv[0].attributes.fieldFormatMap);
  t.equal(formats['event.duration'].params.inputFormat, 'nanoseconds', 'event.duration is ns');
});

t.test('every reference resolves within the file', async (t) => {
  const check = (owner: string, refs: Ref[]) => {
    for (const r of refs)
      t.ok(byKey.has(`${r.type}/${r.id}`), `${owner} -> ${r.type}/${r.id} (${r.name})`);
  };
  for (const o of objects) check(`${o.type}/${o.id}`, o.references);
  const names = new Set<string>(dashboard.references.map((r: Ref) => r.name));
  for (const p of lensPanels) {
    const attrs = p.embeddableConfig.attributes;
    check(`panel ${p.panelIndex}`, attrs.references);
    for (const layerId of Object.keys(attrs.state.datasourceStates.formBased.layers)) {
      const name = `indexpattern-datasource-layer-${layerId}`;
      t.ok(
        attrs.references.some((r: Ref) => r.name === name),
        `${p.panelIndex}: ${name}`,
      );
      t.ok(names.has(`${p.panelIndex}:${name}`), `dashboard holds ${p.panelIndex}:${name}`);
    }
  }
  for (const p of panels.filter((p) => p.panelRefName !== undefined)) {
    t.ok(names.has(`${p.panelIndex}:${p.panelRefName}`), `dashboard holds ${p.panelRefName}`);
  }
  const mapRefs = new Set(map.references.map((r: Ref) => r.name));
  const refNames = JSON.stringify(layers).matchAll(/"indexPatternRefName":"([^"]+)"/g);
  for (const [, name] of refNames) t.ok(mapRefs.has(name), `map layer ref ${name}`);
});

t.test(
  'every field a visualization reads is mapped by the template or set by the enrichment',
  async (t) => {
    const known = templateFields();
    const used = new Set<string>();
    const dv = objects.find((o) => o.type === 'index-pattern')!;
    used.add(dv.attributes.timeFieldName);
    for (const f of Object.keys(JSON.parse(dv.attributes.fieldFormatMap))) used.add(f);
    for (const p of lensPanels) {
      const state = p.embeddableConfig.attributes.state;
      for (const layer of Object.values(state.datasourceStates.formBased.layers) as Obj[]) {
        for (const c of Object.values(layer.columns) as Obj[]) {
          if (c.sourceField && c.sourceField !== '___records___') used.add(c.sourceField);
          if (c.filter) kqlFields(c.filter.query).forEach((f) => used.add(f));
          for (const f of c.params?.filters ?? [])
            kqlFields(f.input.query).forEach((x) => used.add(x));
          for (const [, kql] of (c.params?.formula ?? '').matchAll(/kql='([^']*)'/g))
            kqlFields(kql).forEach((f) => used.add(f));
        }
      }
    }
    for (const layer of layers) {
      const s = layer.sourceDescriptor;
      if (s.geoField) used.add(s.geoField);
      for (const j of layer.joins ?? []) {
        used.add(j.right.term);
        for (const m of j.right.metrics) if (m.field) used.add(m.field);
      }
    }
    t.ok(used.size >= 8, `fields checked: ${[...used].join(', ')}`);
    for (const f of used) t.ok(known.has(f) || ENRICHMENT_FIELDS.has(f), `${f} is mapped`);
  },
);

t.test('the dashboard has the panels the issue asks for', async (t) => {
  const titled = (re: RegExp) => panels.filter((p) => re.test(p.title));
  const columns = (p: Obj): Obj[] =>
    Object.values(p.embeddableConfig.attributes.state.datasourceStates.formBased.layers).flatMap(
      (l) => Object.values((l as Obj).columns) as Obj[],
    );
  const [mapPanel] = titled(/country \(map\)/);
  t.equal(mapPanel?.type, 'map', 'visitors by country as a map');
  const join = layers.flatMap((l) => l.joins ?? [])[0];
  t.equal(join.right.term, 'source.geo.country_iso_code', 'joined on the ISO country code');
  t.ok(
    columns(titled(/^Visitors by country$/)[0]).some(
      (c) => c.sourceField === 'source.geo.country_name',
    ),
  );
  t.ok(columns(titled(/by city/)[0]).some((c) => c.sourceField === 'source.geo.city_name'));
  const top = titled(/Top pages/)[0];
  t.same(
    top.embeddableConfig.timeRange,
    { from: 'now-5m', to: 'now' },
    'top pages: last 5 minutes',
  );
  t.ok(columns(top).some((c) => c.sourceField === 'url.path'));
  const status = columns(titled(/status class/)[0]);
  t.ok(
    status.some((c) => c.operationType === 'date_histogram'),
    'over time',
  );
  t.same(
    (status.find((c) => c.operationType === 'filters') as Obj).params.filters.map(
      (f: Obj) => f.label,
    ),
    ['2xx', '3xx', '4xx', '5xx'],
  );
  const rate = columns(titled(/5xx rate/)[0]).find((c) => c.operationType === 'formula') as Obj;
  t.match(rate.params.formula, /status_code >= 500/);
  t.ok(columns(titled(/Slowest URLs/)[0]).some((c) => c.sourceField === 'event.duration'));
  const bots = columns(titled(/Bots versus people/)[0]).find(
    (c) => c.operationType === 'filters',
  ) as Obj;
  t.match(bots.params.filters[0].input.query, /tags : "bot"/);
  t.equal(dashboard.attributes.timeRestore, true);
});
