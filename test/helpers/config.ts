// Configs for tests, loaded the way production loads them (schema defaults, units,
// validation), and typed access to the one output a loaded config has.
import { buildConfig } from '../../src/config/load.js';
import type {
  Config,
  KafkaOutputConfig,
  OutputConfig,
  OutputKind,
} from '../../src/config/types.js';

export function outputOf<K extends OutputKind>(
  config: Config,
  kind: K,
): Extract<OutputConfig, { kind: K }> | undefined {
  const output = config.output;
  return output.kind === kind ? (output as Extract<OutputConfig, { kind: K }>) : undefined;
}

/** output.kafka as loaded from `settings` (keys as a config file writes them). */
export function kafkaOutputConfig(settings: Record<string, unknown>): KafkaOutputConfig {
  const config = buildConfig(
    { inputs: [{ paths: ['unused.log'] }], output: { kafka: settings } },
    'test config',
  );
  const { kind: _kind, ...kafka } = outputOf(config, 'kafka')!;
  return kafka;
}
