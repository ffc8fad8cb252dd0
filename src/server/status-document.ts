// The /status document: what `logpod status` prints as tables. The core keys below
// are always there; counters and files come from the metrics providers, so /status
// and /metrics never disagree; the owner may add sections of its own (outputs...).

import type { MetricsSnapshot } from '../metrics/metrics.js';
import type { StageState, Verdict } from './probe-state.js';

export interface StageStatus {
  name: string;
  state: StageState;
  progress: number;
  /** Milliseconds since the stage last made progress or changed state. */
  unchanged_ms: number;
}

export interface StatusDocument extends MetricsSnapshot {
  name: 'logpod';
  version: string;
  pid: number;
  started_at: string;
  uptime_seconds: number;
  probes: { startup: Verdict; live: Verdict; ready: Verdict };
  stages: StageStatus[];
  /** Sections the owner adds (outputs, role...). */
  [section: string]: unknown;
}

export interface StatusParts {
  version: string;
  startedAt: number;
  now: number;
  probes: StatusDocument['probes'];
  stages: StageStatus[];
  metrics: MetricsSnapshot;
  extra: Record<string, unknown>;
}

/** Core keys first; an owner's section never replaces a core one. */
export function buildStatus(p: StatusParts): StatusDocument {
  const doc: StatusDocument = {
    name: 'logpod',
    version: p.version,
    pid: process.pid,
    started_at: new Date(p.startedAt).toISOString(),
    uptime_seconds: Math.floor((p.now - p.startedAt) / 1000),
    probes: p.probes,
    stages: p.stages,
    ...p.metrics,
  };
  for (const [key, value] of Object.entries(p.extra)) if (!(key in doc)) doc[key] = value;
  return doc;
}
