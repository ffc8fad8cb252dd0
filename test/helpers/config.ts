// Test access to a loaded config's output: the settings of one kind, or undefined when
// the config has another.
import type { Config, OutputConfig, OutputKind } from '../../src/config/types.js';

export function outputOf<K extends OutputKind>(
  config: Config,
  kind: K,
): Extract<OutputConfig, { kind: K }> | undefined {
  const output = config.output;
  return output.kind === kind ? (output as Extract<OutputConfig, { kind: K }>) : undefined;
}
