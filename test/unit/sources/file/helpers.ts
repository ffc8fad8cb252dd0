// Shared test helpers for the file input: scratch dirs, a capturing pino logger,
// options built by the config loader (production defaults, short timeouts stated
// here), and a consumer that records every line.

import type { Test } from 'tap';
import { scratchDir } from '../../../helpers/testdir.js';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { buildConfig } from '../../../../src/config/load.js';
import { fileInputOptions, type FileInputOptions } from '../../../../src/sources/file/options.js';
import type { FileChunk } from '../../../../src/sources/file/types.js';
import {
  LoggedFileInputEvents,
  type FileInputEventName,
} from '../../../../src/sources/file/events.js';

export type TestContext = Test;

/** A fresh directory under the test's t.testdir(), removed when the test ends. */
export function tempDir(t: Test, prefix = 'file-'): string {
  return scratchDir(t, prefix);
}

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export function captureLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(s: string) {
        records.push(JSON.parse(s) as LogRecord);
      },
    },
  );
  return { logger, records };
}

export interface SeenEvent {
  event: FileInputEventName;
  [field: string]: unknown;
}

/** The production events (logged and counted), also kept in a list for assertions. */
export class RecordedEvents extends LoggedFileInputEvents {
  readonly seen: SeenEvent[] = [];

  constructor(logger: Logger = captureLogger().logger) {
    super(logger);
  }

  of(event: FileInputEventName): SeenEvent[] {
    return this.seen.filter((e) => e.event === event);
  }

  protected override onEvent(event: FileInputEventName, fields: Record<string, unknown>): void {
    this.seen.push({ ...fields, event });
  }
}

/** Keys of one input and of the sections the file input reads, as a config file writes them. */
export interface TestConfig {
  input?: Record<string, unknown>;
  registry?: Record<string, unknown>;
  pipeline?: Record<string, unknown>;
}

/**
 * The options production builds for an input reading `dir`/logs/*.log, through the same
 * loader: every default is production's. What these tests need is stated: files written
 * before the input starts are read from the beginning, and the timers are short.
 */
export function options(dir: string, config: TestConfig = {}): FileInputOptions {
  const loaded = buildConfig(
    {
      data_dir: path.join(dir, 'data'),
      inputs: [
        {
          id: 'test',
          paths: [path.join(dir, 'logs', '*.log')],
          start_at: 'beginning',
          rescan_interval: '200ms',
          close_renamed: '200ms',
          partial_line_timeout: '300ms',
          ...config.input,
        },
      ],
      registry: { flush_interval: '100ms', ...config.registry },
      pipeline: config.pipeline,
      output: { stdout: {} },
    },
    'test config',
  );
  return fileInputOptions(loaded, loaded.inputs[0]);
}

export interface SeenLine {
  text: string;
  sourceId: string;
  offset: number;
  path: string;
  truncated: boolean;
}

/** A consumer that records lines; acks at once unless `autoAck` is false. */
export function collector(autoAck = true) {
  const lines: SeenLine[] = [];
  const chunks: FileChunk[] = [];
  const onChunk = (chunk: FileChunk): void => {
    chunks.push(chunk);
    for (const l of chunk.lines) {
      lines.push({
        text: l.buf.toString('utf8', l.start, l.end),
        sourceId: chunk.sourceId,
        offset: l.offset,
        path: chunk.path,
        truncated: l.truncated,
      });
    }
    if (autoAck) chunk.ack();
  };
  return { lines, chunks, onChunk, texts: () => lines.map((l) => l.text) };
}

export async function waitFor(
  cond: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function numbered(from: number, to: number, prefix = 'line'): string {
  let s = '';
  for (let i = from; i < to; i++) s += `${prefix} ${i}\n`;
  return s;
}
