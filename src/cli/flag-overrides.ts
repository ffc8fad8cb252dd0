// Flags that override (or, with no config file, make up) the config: the
// raw YAML object is patched before validation, so flags and files go
// through the same schema and the same error messages.

import { readFileSync } from 'node:fs';
import { parseRawConfigText } from '../config/load.js';
import { ErrorCodes, LogpodError } from '../errors.js';
import { isPlainObject } from '../support/plain-object.js';
import { usageError } from './args.js';

export interface InputFlags {
  input?: string[];
  format?: string;
  'log-format'?: string;
  from?: string;
  'data-dir'?: string;
}

export type RawConfig = Record<string, unknown>;

/** The raw config from --config (interpolated, not yet validated), or {} without one. */
export function readRawConfig(path: string | undefined): { raw: RawConfig; source: string } {
  if (path === undefined) return { raw: {}, source: 'command-line flags' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new LogpodError(
      ErrorCodes.CONFIG_NOT_FOUND,
      `cannot read config ${path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return { raw: parseRawConfigText(text, path), source: path };
}

export function applyInputFlags(raw: RawConfig, flags: InputFlags): void {
  if (flags.input !== undefined && flags.input.length > 0) {
    raw.inputs = [{ type: 'file', paths: flags.input }];
  }
  const inputs = Array.isArray(raw.inputs) ? (raw.inputs as RawConfig[]) : [];
  for (const input of inputs) {
    if (flags['log-format'] !== undefined) {
      input.format = 'custom';
      input.log_format = flags['log-format'];
    } else if (flags.format !== undefined) {
      input.format = flags.format;
      delete input.log_format;
    }
    if (flags.from !== undefined) input.start_at = flags.from;
  }
  if (flags['data-dir'] !== undefined) raw.data_dir = flags['data-dir'];
}

/** `stdout`, `file:PATH` or `elasticsearch:URL` into the config's output section. */
export function outputFromFlag(spec: string): RawConfig {
  if (spec === 'stdout') return { stdout: {} };
  if (spec.startsWith('file:') && spec.length > 'file:'.length)
    return { file: { path: spec.slice(5) } };
  if (spec.startsWith('elasticsearch:') && spec.length > 'elasticsearch:'.length) {
    return { elasticsearch: { hosts: [spec.slice('elasticsearch:'.length)] } };
  }
  throw usageError(`--output must be "stdout", "file:PATH" or "elasticsearch:URL", got "${spec}"`);
}

/** --listen HOST:PORT turns the probe server on at that address. */
export function applyListenFlag(raw: RawConfig, listen: string | undefined): void {
  if (listen === undefined) return;
  const server = isPlainObject(raw.server) ? (raw.server as RawConfig) : {};
  raw.server = { ...server, enabled: true, listen };
}
