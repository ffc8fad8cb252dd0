// `logpod run`: the standalone pipeline (file input, parser, stdout or file
// output) from a config file, from flags alone, or both. With --once it reads
// every file to its current end, waits until all is written and exits.

import { buildConfig } from '../config/load.js';
import { ExitCodes } from '../errors.js';
import { parseFlags } from './args.js';
import { RUN_HELP } from './usage.js';
import {
  applyInputFlags,
  applyListenFlag,
  outputFromFlag,
  readRawConfig,
} from './flag-overrides.js';
import { runPipelineService } from './pipeline-service.js';

export async function runCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    input: { type: 'string', short: 'i', multiple: true },
    format: { type: 'string', short: 'f' },
    'log-format': { type: 'string' },
    output: { type: 'string', short: 'o' },
    'data-dir': { type: 'string', short: 'd' },
    from: { type: 'string' },
    listen: { type: 'string' },
    once: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(RUN_HELP);
    return ExitCodes.OK;
  }
  const { raw, source } = readRawConfig(flags.config);
  if (flags.config === undefined) {
    // A one-liner on a laptop: state in ./data, events on stdout, no server
    // unless --listen asks for one.
    raw.data_dir = './data';
    raw.output = { stdout: {} };
    raw.server = { enabled: false };
  }
  applyInputFlags(raw, flags);
  applyListenFlag(raw, flags.listen);
  if (flags.output !== undefined) raw.output = outputFromFlag(flags.output);
  return runPipelineService(buildConfig(raw, source, 'run'), {
    role: 'run',
    once: flags.once === true,
  });
}
