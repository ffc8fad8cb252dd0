// `logpod agent`: the sidecar. Tails nginx's logs and ships the events to
// Kafka (or any configured output), with the probe server on. Works from a
// config file, from flags alone, or both (flags win).

import { buildConfig } from '../config/load.js';
import { ExitCodes } from '../errors.js';
import { parseFlags } from './args.js';
import { AGENT_HELP } from './usage.js';
import {
  applyInputFlags,
  applyListenFlag,
  readRawConfig,
  type RawConfig,
} from './flag-overrides.js';
import { runPipelineService } from './pipeline-service.js';

export async function agentCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    input: { type: 'string', short: 'i', multiple: true },
    format: { type: 'string', short: 'f' },
    'log-format': { type: 'string' },
    brokers: { type: 'string' },
    topic: { type: 'string' },
    'data-dir': { type: 'string', short: 'd' },
    from: { type: 'string' },
    listen: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(AGENT_HELP);
    return ExitCodes.OK;
  }
  const { raw, source } = readRawConfig(flags.config);
  applyInputFlags(raw, flags);
  applyListenFlag(raw, flags.listen);
  if (flags.brokers !== undefined || flags.topic !== undefined) {
    const current = (raw.output as RawConfig | undefined)?.kafka as RawConfig | undefined;
    const kafka: RawConfig = { ...(current ?? {}) };
    if (flags.brokers !== undefined) kafka.brokers = flags.brokers.split(',').map((b) => b.trim());
    if (flags.topic !== undefined) kafka.topic = flags.topic;
    raw.output = { kafka };
  }
  return runPipelineService(buildConfig(raw, source, 'agent'), { role: 'agent', once: false });
}
