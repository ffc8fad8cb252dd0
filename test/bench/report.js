// Turns a run's measurements into the results table (Markdown, printed and
// pasted into the README) and the list of targets met or missed. Every figure
// stands next to the baseline measured in the same run, as a ratio.

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fixed = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);

/** Rows: [measure, logpod, baseline, ratio, target, met]. */
export function buildRows(r) {
  const rows = [];
  const add = (measure, value, baseline, x, target, met) =>
    rows.push([
      measure,
      value,
      baseline,
      x,
      target ?? '',
      met === undefined ? '' : met ? 'yes' : 'NO',
    ]);

  for (const [format, pe] of Object.entries(r.parseEncode ?? {})) {
    const ours = pe.logpod;
    if (!ours) continue;
    const full = pe['naive-full'];
    const bare = pe['naive-bare'];
    const read = pe.read;
    const xFull = ratio(ours.eventsPerSec, full?.eventsPerSec);
    const isMain = format === 'main';
    add(
      `parse+encode ${format}: events/s (MiB/s)`,
      `${int(ours.eventsPerSec)} (${fixed(ours.mibPerSec)})`,
      `naive full event ${int(full?.eventsPerSec)}`,
      `${fixed(xFull, 2)}x`,
      isMain ? '>= 1.3x' : undefined,
      isMain ? xFull >= 1.3 : undefined,
    );
    add(
      `parse+encode ${format}: CPU s per 1M events`,
      fixed(ours.cpuSecPerMillion, 2),
      `naive full ${fixed(full?.cpuSecPerMillion, 2)}`,
      `${fixed(ratio(full?.cpuSecPerMillion, ours.cpuSecPerMillion), 2)}x`,
    );
    add(
      `parse+encode ${format}: vs bare naive, I/O limit`,
      int(ours.eventsPerSec),
      `bare ${int(bare?.eventsPerSec)}; read ${int(read?.eventsPerSec)} (${fixed(read?.mibPerSec, 0)} MiB/s)`,
      `${fixed(ratio(ours.eventsPerSec, bare?.eventsPerSec), 2)}x; ${fixed(ratio(ours.eventsPerSec, read?.eventsPerSec), 2)}x`,
    );
  }

  const sa = r.standalone?.results;
  if (sa?.naive) {
    const naive = sa.naive.best;
    for (const [variant, label] of [
      ['run-enrich-off', 'enrich off'],
      ['run', 'defaults'],
    ]) {
      const ours = sa[variant]?.best;
      if (!ours) continue;
      const judged = variant === 'run-enrich-off';
      const x = ratio(ours.eventsPerSec, naive.eventsPerSec);
      add(
        `run file -> file (${label}): events/s`,
        int(ours.eventsPerSec),
        `naive loop ${int(naive.eventsPerSec)}`,
        `${fixed(x, 2)}x`,
        judged ? '>= 2x' : undefined,
        judged ? x >= 2 : undefined,
      );
      add(
        `run file -> file (${label}): CPU µs per event, peak MiB`,
        `${fixed(ours.cpuUsPerEvent, 2)}, ${int(ours.peakRssMiB)} MiB`,
        `naive ${fixed(naive.cpuUsPerEvent, 2)}, ${int(naive.peakRssMiB)} MiB`,
        `${fixed(ratio(ours.cpuUsPerEvent, naive.cpuUsPerEvent), 2)}x CPU`,
      );
    }
  }

  for (const [codec, k] of Object.entries(r.kafka ?? {})) {
    if (!k.agent) continue;
    const a = k.agent;
    // Targets apply to the default configuration (zstd); the other runs only show their share.
    const judged = codec === 'zstd';
    add(
      `agent -> Kafka (${codec}, acks=all): events/s`,
      int(a.eventsPerSec),
      `bare kafkajs${codec.includes('one event per record') ? '' : ', packed'} ${int(k.bare?.eventsPerSec)}`,
      `${fixed(ratio(a.eventsPerSec, k.bare?.eventsPerSec), 2)}x`,
      judged ? '>= 100,000' : undefined,
      judged ? a.eventsPerSec >= 100_000 : undefined,
    );
    add(
      `agent -> Kafka (${codec}): CPU µs per event, cores`,
      `${fixed(a.cpuSecPerMillion, 2)}, ${fixed(a.cores, 2)} cores`,
      `parse+encode alone ${fixed(r.parseEncode?.main?.logpod?.cpuSecPerMillion, 2)}`,
      '',
      judged ? '<= 10 µs, <= 1 core' : undefined,
      judged ? a.cpuSecPerMillion <= 10 && a.cores <= 1 : undefined,
    );
  }
  if (r.writer?.logpod) {
    const w = r.writer.logpod;
    const x = ratio(w.docsPerSec, r.writer.bare?.docsPerSec);
    add(
      'writer -> Elasticsearch: docs/s',
      int(w.docsPerSec),
      `bare _bulk ${int(r.writer.bare?.docsPerSec)}`,
      `${fixed(x, 2)}x`,
      '>= 0.8x',
      x >= 0.8,
    );
  }
  if (r.latency?.pipeline) {
    const l = r.latency.pipeline;
    const f = r.latency.floor;
    add(
      `latency at ${int(r.latency.rate)} lines/s: p50 / p99 ms`,
      `${int(l.p50Ms)} / ${int(l.p99Ms)}`,
      `Elasticsearch alone ${int(f?.p50Ms)} / ${int(f?.p99Ms)}`,
      `+${int(l.p99Ms - (f?.p99Ms ?? NaN))} ms p99`,
      'p99 <= 2000',
      l.p99Ms <= 2000,
    );
    if (l.agentPart) {
      add(
        'latency: line -> in Kafka (the agent): p50 / p99 ms',
        `${int(l.agentPart.p50Ms)} / ${int(l.agentPart.p99Ms)}`,
        '',
        '',
      );
    }
  }
  const m = r.memory ?? {};
  const idle = m.idleRssMiB;
  if (idle !== undefined && m.nodeRssMiB !== undefined) {
    add(
      'agent RSS idle (an empty file): MiB',
      fixed(idle, 0),
      `bare Node process ${fixed(m.nodeRssMiB, 0)}`,
      `${fixed(ratio(idle, m.nodeRssMiB), 2)}x`,
    );
  }
  if (m.fullSpeedPeakMiB !== undefined) {
    add(
      'agent RSS at full speed: peak MiB',
      fixed(m.fullSpeedPeakMiB, 0),
      `idle agent ${fixed(idle, 0)}`,
      `${fixed(ratio(m.fullSpeedPeakMiB, idle), 2)}x`,
      '<= 128',
      m.fullSpeedPeakMiB <= 128,
    );
  }
  if (m.fullSpeedEnrichInAgentPeakMiB !== undefined) {
    add(
      'agent RSS at full speed, enrich in agent: peak MiB',
      fixed(m.fullSpeedEnrichInAgentPeakMiB, 0),
      `idle agent ${fixed(idle, 0)}`,
      `${fixed(ratio(m.fullSpeedEnrichInAgentPeakMiB, idle), 2)}x`,
    );
  }
  if (m.steadyMaxMiB !== undefined) {
    add(
      `agent RSS at ${int(r.latency?.rate)} lines/s: max MiB`,
      fixed(m.steadyMaxMiB, 0),
      `idle agent ${fixed(idle, 0)}`,
      `${fixed(ratio(m.steadyMaxMiB, idle), 2)}x`,
      '<= 96',
      m.steadyMaxMiB <= 96,
    );
  }
  if (r.outage) {
    const o = r.outage;
    add(
      `agent RSS through a ${o.outageS} s Kafka outage`,
      `max ${fixed(o.rssOutageMaxMiB, 0)}`,
      `before ${fixed(o.rssBeforeMiB, 0)}`,
      `${o.growth >= 0 ? '+' : ''}${fixed(o.growth * 100, 1)}%`,
      'within 10%',
      o.growth <= 0.1,
    );
  }
  if (r.manyFiles) {
    const x = ratio(r.manyFiles.many.eventsPerSec, r.manyFiles.single.eventsPerSec);
    add(
      `${int(r.manyFiles.files)} files in one glob: events/s`,
      int(r.manyFiles.many.eventsPerSec),
      `one file ${int(r.manyFiles.single.eventsPerSec)}`,
      `${fixed(x, 2)}x`,
      '>= 0.8x',
      x >= 0.8,
    );
  }
  return rows;
}

export function markdownTable(rows) {
  const head = ['measure', 'logpod', 'baseline (same run)', 'ratio', 'target', 'met'];
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((row) => String(row[c]).length)));
  const line = (row) => `| ${row.map((v, c) => String(v).padEnd(widths[c])).join(' | ')} |`;
  return [
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}
