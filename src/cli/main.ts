// The `logpod` command line: picks the subcommand and maps every failure to
// a documented exit code (0 ok, 1 runtime failure, 2 bad config or usage).

import { readFileSync } from 'node:fs';
import { ExitCodes, LogpodError } from '../errors.js';
import { MAIN_HELP } from './usage.js';
import { runCommand } from './run.js';
import { parseCommand } from './parse.js';
import { checkCommand } from './check.js';
import { agentCommand } from './agent.js';
import { statusCommand } from './status.js';
import { writerCommand } from './writer.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  agent: agentCommand,
  writer: writerCommand,
  status: (argv) => statusCommand(argv),
  run: runCommand,
  parse: parseCommand,
  check: checkCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(MAIN_HELP);
    return name === undefined ? ExitCodes.CONFIG : ExitCodes.OK;
  }
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${version()}\n`);
    return ExitCodes.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`logpod: unknown command "${name}"\n\n${MAIN_HELP}`);
    return ExitCodes.CONFIG;
  }
  try {
    return await command(rest);
  } catch (err) {
    return reportFailure(err);
  }
}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportFailure(err: unknown): number {
  if (err instanceof LogpodError) {
    process.stderr.write(`logpod: ${err.message}\n`);
    return isConfigError(err) ? ExitCodes.CONFIG : ExitCodes.FAILURE;
  }
  process.stderr.write(
    `logpod: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return ExitCodes.FAILURE;
}

function isConfigError(err: LogpodError): boolean {
  return (
    err.code === 'CONFIG_INVALID' ||
    err.code === 'CONFIG_NOT_FOUND' ||
    err.code === 'CONFIG_PARSE' ||
    err.code === 'USAGE' ||
    err.code === 'LOG_FORMAT_INVALID'
  );
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
