// The `logpod` command line: picks the subcommand and ends with a documented
// exit code (0 ok, 1 runtime failure, 2 bad config or usage, 3 shutdown deadline
// passed, 130 second signal); a LogpodError carries its own.

import { ExitCodes, LogpodError } from '../errors.js';
import { packageVersion } from '../support/package-version.js';
import { MAIN_HELP } from './usage.js';

type Command = (argv: string[]) => Promise<number>;

// Each command's module is loaded when that command runs: the agent never loads the
// Elasticsearch client (about 30 MiB of resident memory), `parse` loads neither client.
const COMMANDS: Record<string, () => Promise<Command>> = {
  agent: async () => (await import('./agent.js')).agentCommand,
  writer: async () => (await import('./writer.js')).writerCommand,
  status: async () => {
    const { statusCommand } = await import('./status.js');
    return (argv) => statusCommand(argv);
  },
  run: async () => (await import('./run.js')).runCommand,
  parse: async () => (await import('./parse.js')).parseCommand,
  check: async () => (await import('./check.js')).checkCommand,
};

/** Every command `logpod` dispatches (README's commands table names each). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(MAIN_HELP);
    return name === undefined ? ExitCodes.CONFIG : ExitCodes.OK;
  }
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return ExitCodes.OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    process.stderr.write(`logpod: unknown command "${name}"\n\n${MAIN_HELP}`);
    return ExitCodes.CONFIG;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (err) {
    return reportFailure(err);
  }
}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportFailure(err: unknown): number {
  if (err instanceof LogpodError) {
    process.stderr.write(`logpod: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(
    `logpod: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return ExitCodes.FAILURE;
}
