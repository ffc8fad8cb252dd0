// Options of one file input, already typed (the config module maps user YAML
// onto them). Defaults live here, in one place; validation reports every
// problem at once and runs once, at construction.

import { ErrorCodes, LogpodError } from '../../errors.js';

export interface FileInputOptions {
  id: string;
  paths: string[];
  exclude: string[];
  startAt: 'beginning' | 'end';
  fingerprintBytes: number;
  maxLineBytes: number;
  readBufferBytes: number;
  partialLineTimeoutMs: number;
  rescanIntervalMs: number;
  closeInactiveMs: number;
  closeRenamedMs: number;
  maxOpenFiles: number;
  dataDir: string;
  registryFlushIntervalMs: number;
  registryCleanAfterMs: number;
  maxInFlightBytes: number;
  maxInFlightEvents: number;
  batchMaxEvents: number;
  batchMaxBytes: number;
}

export const FILE_INPUT_DEFAULTS: Omit<FileInputOptions, 'id' | 'paths' | 'dataDir'> = {
  exclude: [],
  startAt: 'beginning',
  fingerprintBytes: 1024,
  maxLineBytes: 1024 * 1024,
  readBufferBytes: 64 * 1024,
  partialLineTimeoutMs: 5_000,
  rescanIntervalMs: 10_000,
  closeInactiveMs: 5 * 60_000,
  closeRenamedMs: 30_000,
  maxOpenFiles: 512,
  registryFlushIntervalMs: 1_000,
  registryCleanAfterMs: 7 * 24 * 3_600_000,
  maxInFlightBytes: 64 * 1024 * 1024,
  maxInFlightEvents: 100_000,
  batchMaxEvents: 1_000,
  batchMaxBytes: 1024 * 1024,
};

const POSITIVE_INTEGERS = [
  'fingerprintBytes',
  'maxLineBytes',
  'readBufferBytes',
  'partialLineTimeoutMs',
  'rescanIntervalMs',
  'closeInactiveMs',
  'closeRenamedMs',
  'maxOpenFiles',
  'registryFlushIntervalMs',
  'registryCleanAfterMs',
  'maxInFlightBytes',
  'maxInFlightEvents',
  'batchMaxEvents',
  'batchMaxBytes',
] as const;

/** Throws one CONFIG_INVALID error naming every problem found. */
export function validateFileInputOptions(opts: FileInputOptions): void {
  const problems: string[] = [];
  if (typeof opts.id !== 'string' || opts.id === '') problems.push('id must be a non-empty string');
  if (!Array.isArray(opts.paths) || opts.paths.length === 0) {
    problems.push('paths must list at least one glob pattern');
  } else if (opts.paths.some((p) => typeof p !== 'string' || p === '')) {
    problems.push('paths must be non-empty strings');
  }
  if (!Array.isArray(opts.exclude) || opts.exclude.some((p) => typeof p !== 'string' || p === '')) {
    problems.push('exclude must be a list of non-empty strings');
  }
  if (opts.startAt !== 'beginning' && opts.startAt !== 'end') {
    problems.push("startAt must be 'beginning' or 'end'");
  }
  if (typeof opts.dataDir !== 'string' || opts.dataDir === '') {
    problems.push('dataDir must be a non-empty string');
  }
  for (const name of POSITIVE_INTEGERS) {
    const v = opts[name];
    if (!Number.isSafeInteger(v) || v <= 0) problems.push(`${name} must be a positive integer`);
  }
  if (problems.length > 0) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `file input ${String(opts.id)}: ${problems.join('; ')}`,
    );
  }
}
