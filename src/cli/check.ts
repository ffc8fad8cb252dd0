// `logpod check`: validate a config and print it as logpod will use it, with
// every secret redacted. Exit 2 and every problem listed when it is invalid.
// --role agent|writer|run fills that command's defaults (role.ts); without it,
// run's (the schema's plain defaults).

import { loadConfigFile } from '../config/load.js';
import { configFileTree } from '../config/normalize.js';
import { parseRole, ROLES } from '../config/role.js';
import { redactConfig } from '../config/redact.js';
import { renderConfigYaml } from '../config/render.js';
import { transportWarnings } from '../config/transport-warnings.js';
import { ExitCodes } from '../errors.js';
import { parseFlags, usageError } from './args.js';
import { CHECK_HELP } from './usage.js';

export async function checkCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    role: { type: 'string', short: 'r' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(CHECK_HELP);
    return ExitCodes.OK;
  }
  if (!flags.config) throw usageError('check needs --config FILE');
  const role = parseRole(flags.role ?? 'run');
  if (role === undefined) {
    throw usageError(`--role must be one of ${ROLES.join(', ')}, got "${flags.role}"`);
  }
  const config = loadConfigFile(flags.config, process.env, role);
  for (const warning of transportWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`# ${flags.config}: valid\n`);
  process.stdout.write(`# as \`logpod ${role}\` uses it (--role agent|writer|run)\n`);
  process.stdout.write(renderConfigYaml(redactConfig(configFileTree(config))));
  return ExitCodes.OK;
}
