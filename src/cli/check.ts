// `logpod check`: validate a config and print it as logpod will use it, with
// every secret redacted. Exit 2 and every problem listed when it is invalid.

import { loadConfigFile } from '../config/load.js';
import { configFileTree } from '../config/normalize.js';
import { redactConfig } from '../config/redact.js';
import { renderConfigYaml } from '../config/render.js';
import { transportWarnings } from '../config/transport-warnings.js';
import { ExitCodes } from '../errors.js';
import { parseFlags, usageError } from './args.js';
import { CHECK_HELP } from './usage.js';

export async function checkCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(CHECK_HELP);
    return ExitCodes.OK;
  }
  if (!flags.config) throw usageError('check needs --config FILE');
  const config = loadConfigFile(flags.config);
  for (const warning of transportWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`# ${flags.config}: valid\n`);
  process.stdout.write(renderConfigYaml(redactConfig(configFileTree(config))));
  return ExitCodes.OK;
}
