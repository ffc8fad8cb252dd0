// Options of one file input, settled from the validated config (config/ owns every
// default and every check; nothing here has a second copy of them). Each input keeps its
// own registry folder under data_dir, so inputs never overwrite each other's state.

import { join } from 'node:path';
import type { Config, FileInputConfig } from '../../config/types.js';

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
  /** Delete a rotated file this long after its last line was acknowledged; undefined: never. */
  removeAfterMs: number | undefined;
  /** Read files reached through a symlink; off: skipped (one warning each) and opened O_NOFOLLOW. */
  followSymlinks: boolean;
  dataDir: string;
  registryFlushIntervalMs: number;
  registryCleanAfterMs: number;
  maxInFlightBytes: number;
  maxInFlightEvents: number;
  batchMaxEvents: number;
  batchMaxBytes: number;
}

/** The options of `input`, one of `config.inputs`. */
export function fileInputOptions(config: Config, input: FileInputConfig): FileInputOptions {
  return {
    id: input.id,
    paths: input.paths,
    exclude: input.exclude,
    startAt: input.start_at,
    fingerprintBytes: input.fingerprint_bytes,
    maxLineBytes: input.max_line_bytes,
    readBufferBytes: input.read_buffer_bytes,
    partialLineTimeoutMs: input.partial_line_timeout,
    rescanIntervalMs: input.rescan_interval,
    closeInactiveMs: input.close_inactive,
    closeRenamedMs: input.close_renamed,
    maxOpenFiles: input.max_open_files,
    removeAfterMs: input.remove_after,
    followSymlinks: input.follow_symlinks,
    dataDir: join(config.data_dir, 'inputs', input.id),
    registryFlushIntervalMs: config.registry.flush_interval,
    registryCleanAfterMs: config.registry.clean_after,
    maxInFlightBytes: config.pipeline.max_in_flight_bytes,
    maxInFlightEvents: config.pipeline.max_in_flight_events,
    batchMaxEvents: config.pipeline.batch_max_events,
    batchMaxBytes: config.pipeline.batch_max_bytes,
  };
}
