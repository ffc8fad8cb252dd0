// Signals for long-running commands: the first SIGTERM/SIGINT asks for a
// clean stop (drain, flush, registry last, within the deadline); a second
// one exits at once. Shared by run, and later agent and writer.

import { ExitCodes } from '../errors.js';
import type { Logger } from '../logger.js';

export interface StopRequest {
  /** Resolves with the signal name when the first stop signal arrives. */
  readonly requested: Promise<string>;
  dispose(): void;
}

export function onStopSignal(
  logger: Logger,
  exit: (code: number) => never = process.exit,
): StopRequest {
  let count = 0;
  let resolveRequested: (signal: string) => void = () => {};
  const requested = new Promise<string>((resolve) => (resolveRequested = resolve));
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      logger.info({ signal }, 'stopping: draining in-flight events, then saving the registry');
      resolveRequested(signal);
    } else {
      logger.warn({ signal }, 'second signal: exiting now without draining');
      exit(ExitCodes.SIGNAL_FORCED);
    }
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    requested,
    dispose: () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}
