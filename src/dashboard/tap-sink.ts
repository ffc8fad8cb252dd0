// A sink in front of the real output that shows each batch to an observer (the live
// dashboard) once, before passing it on unchanged. A batch the pipeline retries is not
// counted twice, and an observer that throws never stops delivery.

import type { EventBatch, OutputRefusal, Sink } from '../pipeline/batch.js';
import type { EcsEvent } from '../pipeline/event.js';

export type BatchObserver = (events: readonly EcsEvent[]) => void;

export class TapSink implements Sink {
  readonly name: string;
  private readonly seen = new WeakSet<EventBatch>();

  constructor(
    private readonly inner: Sink,
    private readonly observe: BatchObserver,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.name = inner.name;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  write(batch: EventBatch): Promise<void> {
    if (!this.seen.has(batch)) {
      this.seen.add(batch);
      try {
        this.observe(batch.events);
      } catch (err) {
        this.onError(err);
      }
    }
    return this.inner.write(batch);
  }

  state(): 'idle' | 'working' | 'waiting' {
    return this.inner.state?.() ?? 'working';
  }

  refusal(): OutputRefusal | undefined {
    return this.inner.refusal?.();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
