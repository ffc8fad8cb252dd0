// The `elasticsearch` output of `logpod agent` and `logpod run`: batches are
// gathered into bulk requests (by count, bytes, time), at most
// max_in_flight_requests at once, and each batch is acknowledged only when all
// its documents are settled: indexed or 409. A rejected document (mapping,
// parse) is appended to a dead-letter NDJSON file in data_dir and counted.

import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ElasticsearchOutputConfig } from '../../config/types.js';
import type { Logger } from '../../logger.js';
import type { EventBatch, Sink } from '../../pipeline/batch.js';
import type { BulkDoc } from './bulk-writer.js';
import { docFromEvent } from './document.js';
import { ElasticsearchOutput } from './output.js';
import type { ElasticsearchStats } from './stats.js';

export class ElasticsearchSink implements Sink {
  readonly name = 'elasticsearch';
  readonly output: ElasticsearchOutput;
  private readonly deadLetterPath: string;
  private pending: EventBatch[] = [];
  private pendingEvents = 0;
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private fatal: Error | undefined;

  constructor(
    private readonly config: ElasticsearchOutputConfig,
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.output = new ElasticsearchOutput(config, logger);
    this.deadLetterPath = resolve(dataDir, config.dead_letter_file);
  }

  get stats(): ElasticsearchStats {
    return this.output.stats;
  }

  async start(): Promise<void> {
    await this.output.prepare(this.abort.signal);
  }

  async write(batch: EventBatch): Promise<void> {
    if (this.fatal !== undefined) throw this.fatal;
    this.pending.push(batch);
    this.pendingEvents += batch.events.length;
    this.pendingBytes += batch.bytes;
    if (
      this.pendingEvents >= this.config.batch_max_events ||
      this.pendingBytes >= this.config.batch_max_bytes
    ) {
      await this.dispatch();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.dispatch(), this.config.batch_max_wait);
    }
  }

  async flush(): Promise<void> {
    await this.dispatch();
    while (this.running.size > 0) await Promise.all(this.running);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.abort.abort(new Error('output closed'));
    await Promise.allSettled(this.running);
    await this.output.close();
  }

  /** Sends what is pending; waits for a free slot first (backpressure on write). */
  private async dispatch(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running.size >= this.config.max_in_flight_requests)
      await Promise.race(this.running);
    if (this.pending.length === 0) return;
    const batches = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    this.pendingBytes = 0;
    const p = this.send(batches).catch((err: Error) => {
      if (!this.abort.signal.aborted) {
        this.fatal = err;
        this.logger.error({ err }, 'Elasticsearch output failed');
      }
    });
    const tracked = p.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private async send(batches: EventBatch[]): Promise<void> {
    const now = Date.now();
    const docs: BulkDoc[] = [];
    for (const batch of batches) {
      for (const event of batch.events) docs.push(docFromEvent(event, this.output.target, now));
    }
    const results = await this.output.bulk.write(docs, this.abort.signal);
    let lines = '';
    let rejected = 0;
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (r.outcome !== 'rejected') continue;
      rejected++;
      lines += `${JSON.stringify({ error: r.error, index: docs[i].index, _id: docs[i].id, event: JSON.parse(docs[i].source) })}\n`;
    }
    if (rejected > 0) {
      await mkdir(dirname(this.deadLetterPath), { recursive: true });
      await appendFile(this.deadLetterPath, lines, { mode: 0o640 });
      this.output.stats.deadLettered += rejected;
      this.logger.warn(
        { documents: rejected, file: this.deadLetterPath },
        'documents rejected by Elasticsearch',
      );
    }
    for (const batch of batches) batch.ack();
  }
}
