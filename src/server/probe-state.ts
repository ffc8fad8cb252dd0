// The memory the main thread shares with the probe worker: a heartbeat, the startup and
// readiness flags and each stage's state. Only the main thread writes (Atomics.store);
// the worker reads, so it can judge liveness while the main thread cannot run at all.

export const MAX_STAGES = 32;

export type StageState = 'idle' | 'working' | 'waiting';
const STATE_NAMES: readonly StageState[] = ['idle', 'working', 'waiting'];

/** A probe's answer; reason says why it failed (or what it waits for). */
export interface Verdict {
  ok: boolean;
  reason?: string;
}

export interface LivenessLimits {
  eventLoopBlockedMs: number;
  stageStalledMs: number;
}

// BigInt64 slots: times in ms since the epoch.
const T_HEARTBEAT = 0;
const T_STAGES = 1;
const TIME_SLOTS = T_STAGES + MAX_STAGES;
// Int32 slots.
const I_STARTED = 0;
const I_READY = 1;
const I_STAGE_COUNT = 2;
const I_STAGES = 3;
const INT_SLOTS = I_STAGES + MAX_STAGES;

export const PROBE_STATE_BYTES = TIME_SLOTS * 8 + INT_SLOTS * 4;

export class ProbeState {
  readonly buffer: SharedArrayBuffer;
  private readonly times: BigInt64Array;
  private readonly ints: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(PROBE_STATE_BYTES)) {
    this.buffer = buffer;
    this.times = new BigInt64Array(buffer, 0, TIME_SLOTS);
    this.ints = new Int32Array(buffer, TIME_SLOTS * 8, INT_SLOTS);
  }

  beat(now: number): void {
    Atomics.store(this.times, T_HEARTBEAT, BigInt(now));
  }

  heartbeatAt(): number {
    return Number(Atomics.load(this.times, T_HEARTBEAT));
  }

  markStarted(): void {
    Atomics.store(this.ints, I_STARTED, 1);
  }

  started(): boolean {
    return Atomics.load(this.ints, I_STARTED) === 1;
  }

  setReady(ready: boolean): void {
    Atomics.store(this.ints, I_READY, ready ? 1 : 0);
  }

  ready(): boolean {
    return Atomics.load(this.ints, I_READY) === 1;
  }

  setStageCount(n: number): void {
    Atomics.store(this.ints, I_STAGE_COUNT, n);
  }

  stageCount(): number {
    return Atomics.load(this.ints, I_STAGE_COUNT);
  }

  /** `since`: when the stage last made progress or entered its state. */
  setStage(i: number, state: StageState, since: number): void {
    Atomics.store(this.times, T_STAGES + i, BigInt(since));
    Atomics.store(this.ints, I_STAGES + i, STATE_NAMES.indexOf(state));
  }

  stageState(i: number): StageState {
    return STATE_NAMES[Atomics.load(this.ints, I_STAGES + i)] ?? 'idle';
  }

  stageSince(i: number): number {
    return Number(Atomics.load(this.times, T_STAGES + i));
  }
}

export function startupVerdict(state: ProbeState): Verdict {
  return state.started() ? { ok: true } : { ok: false, reason: 'starting' };
}

/**
 * Live unless the main thread missed its heartbeat for longer than eventLoopBlockedMs,
 * or a stage has been 'working' without progress for longer than stageStalledMs.
 * 'waiting' (on Kafka, Elasticsearch) is not wedged: a restart would not help.
 */
export function livenessVerdict(
  state: ProbeState,
  stageNames: readonly string[],
  now: number,
  limits: LivenessLimits,
): Verdict {
  const silentMs = now - state.heartbeatAt();
  if (silentMs > limits.eventLoopBlockedMs) {
    return { ok: false, reason: `event loop blocked for ${silentMs} ms` };
  }
  const count = state.stageCount();
  for (let i = 0; i < count; i++) {
    if (state.stageState(i) !== 'working') continue;
    const stuckMs = now - state.stageSince(i);
    if (stuckMs > limits.stageStalledMs) {
      const name = stageNames[i] ?? `stage ${i}`;
      return { ok: false, reason: `stage ${name} has work but made no progress for ${stuckMs} ms` };
    }
  }
  return { ok: true };
}

export function readinessVerdict(state: ProbeState, reason: string | undefined): Verdict {
  if (!state.started()) return { ok: false, reason: 'starting' };
  return state.ready() ? { ok: true } : { ok: false, reason: reason ?? 'not ready' };
}
