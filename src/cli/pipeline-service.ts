// The long-running side of `run` and `agent`: starts the probe server first
// (so /startupz says 503 while starting), then the pipeline, marks startup
// done after the registry is loaded and the first discovery ran, and on a
// stop signal shuts down in order: stop discovery and readers, drain, flush
// the output, registry last, then the server.

import type { Config } from '../config/types.js';
import { transportWarnings } from '../config/transport-warnings.js';
import { createLogger, effectiveLogLevel } from '../logger.js';
import { ExitCodes } from '../errors.js';
import { buildPipeline } from './build-pipeline.js';
import { onStopSignal, type StopRequest } from './lifecycle.js';
import { prepareDataDir } from './data-dir.js';
import { withDeadline } from '../support/deadline.js';
import { formatSummary } from './summary.js';
import { startProgress } from '../sources/file/progress.js';
import type { FileInput } from '../sources/file/file-input.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { OutputRefusal } from '../pipeline/batch.js';
import type { FileChunk } from '../sources/file/types.js';
import { MetricsRegistry } from '../metrics/metrics.js';
import { ProbeServer } from '../server/probe-server.js';
import type { Logger } from '../logger.js';
import { LiveAggregates } from '../dashboard/live-aggregates.js';
import { dashboardRoutes } from '../dashboard/routes.js';
import { enrichmentNote } from '../dashboard/enrichment-note.js';
import { dashboardPrivacy, serverAccess } from './server-access.js';

export interface ServiceOptions {
  role: 'run' | 'agent';
  /** Read every file to its current end, wait for delivery, then stop. */
  once: boolean;
}

export async function runPipelineService(config: Config, options: ServiceOptions): Promise<number> {
  const eventsOnStdout = config.output.kind === 'stdout';
  const logger = createLogger(effectiveLogLevel(config.logging.level), eventsOnStdout ? 2 : 1);
  for (const warning of transportWarnings(config)) logger.warn(warning);
  // Signal handlers first: a stop during start-up (a template install waiting
  // for Elasticsearch, a first scan of many files) ends it within shutdown.timeout.
  const stop = onStopSignal(logger);
  try {
    return await serve(config, options, logger, stop);
  } finally {
    stop.dispose();
  }
}

async function serve(
  config: Config,
  options: ServiceOptions,
  logger: Logger,
  stop: StopRequest,
): Promise<number> {
  const eventsOnStdout = config.output.kind === 'stdout';
  await prepareDataDir(config.data_dir);
  // The live dashboard (served with the probes) counts every event handed to the output.
  const live = config.server.enabled ? new LiveAggregates() : undefined;
  const { pipeline, inputs, stages, bindOutputMetrics } = await buildPipeline(
    config,
    logger,
    live && ((e) => live.observe(e)),
  );
  const started = Date.now();

  const server = live
    ? probeServer(config, pipeline, inputs, options.role, logger, live, bindOutputMetrics)
    : undefined;
  const startup = (async () => {
    await server?.start();
    await pipeline.start();
  })();
  const stoppedEarly = await Promise.race([
    startup.then(() => false),
    stop.requested.then(() => true),
  ]);
  if (stoppedEarly) {
    // Stopping closes the output, which ends its wait; what start-up still does is abandoned.
    startup.catch(() => undefined);
    const clean = await withDeadline(
      pipeline.stop(config.shutdown.timeout),
      config.shutdown.timeout + 1000,
    );
    for (const stage of stages) stage.close?.();
    await server?.stop();
    logger.info({ clean }, `logpod ${options.role} stopped during start-up`);
    return clean ? ExitCodes.OK : ExitCodes.SHUTDOWN_TIMEOUT;
  }
  server?.markStarted();
  logger.info(
    {
      role: options.role,
      inputs: config.inputs.map((i) => i.id),
      output: config.output.kind,
    },
    `logpod ${options.role} started`,
  );
  const progress = startProgress(inputs, process.stderr);

  const finished = options.once
    ? pipeline.whenIdle().then(() => 'caught up')
    : new Promise<string>(() => {});
  const reason = await Promise.race([
    stop.requested,
    finished,
    pipeline.whenFatal().then((err) => `output failed: ${err.message}`),
  ]);
  progress.stop();
  const clean = await withDeadline(
    pipeline.stop(config.shutdown.timeout),
    config.shutdown.timeout + 1000,
  );
  // Alerts last: a pending webhook must not hold the exit.
  for (const stage of stages) stage.close?.();
  await server?.stop();
  const unreadable = inputs.flatMap((input) => input.stats().unreadableFiles);
  if (options.role === 'run') {
    const summary = formatSummary(pipeline.counters, config, Date.now() - started, unreadable);
    (eventsOnStdout ? process.stderr : process.stdout).write(summary);
  }
  logger.info({ reason, clean }, `logpod ${options.role} stopped`);
  if (reason.startsWith('output failed')) return ExitCodes.FAILURE;
  if (!clean) return ExitCodes.SHUTDOWN_TIMEOUT;
  // --once promises every matching file was read: one that could not be is not a success.
  return options.once && unreadable.length > 0 ? ExitCodes.FILES_UNREADABLE : ExitCodes.OK;
}

function refusalStatus(refusal: OutputRefusal) {
  return {
    reason: refusal.reason,
    code: refusal.code,
    message: refusal.message,
    since: new Date(refusal.since).toISOString(),
  };
}

function probeServer(
  config: Config,
  pipeline: Pipeline<FileChunk>,
  inputs: FileInput[],
  role: ServiceOptions['role'],
  logger: Logger,
  live: LiveAggregates,
  bindOutputMetrics: (metrics: MetricsRegistry) => void,
) {
  const metrics = new MetricsRegistry();
  bindOutputMetrics(metrics);
  const note = enrichmentNote({
    role,
    geoip: config.enrich.geoip.enabled,
    userAgent: config.enrich.user_agent.enabled,
  });
  const sumStats = () => {
    const total = {
      inFlightEvents: 0,
      inFlightBytes: 0,
      backlogBytes: 0,
      registryWrites: 0,
      registryWriteErrors: 0,
    };
    for (const input of inputs) {
      const s = input.stats();
      total.inFlightEvents += s.inFlightEvents;
      total.inFlightBytes += s.inFlightBytes;
      total.backlogBytes += s.backlogBytes;
      total.registryWrites += s.registryWrites;
      total.registryWriteErrors += s.registryWriteErrors;
    }
    return total;
  };
  metrics.bindPipeline(() => pipeline.counters);
  metrics.bindInFlight(() => {
    const s = sumStats();
    return { events: s.inFlightEvents, bytes: s.inFlightBytes };
  });
  metrics.bindRegistry(() => {
    const s = sumStats();
    return { writes: s.registryWrites, errors: s.registryWriteErrors };
  });
  metrics.bindFiles(() =>
    config.inputs.flatMap((input, i) =>
      inputs[i].stats().files.map((f) => ({
        input: input.id,
        path: f.path,
        size: f.size,
        committed: f.offsetAcked,
      })),
    ),
  );
  const server = new ProbeServer(
    {
      listen: config.server.listen,
      metrics,
      // An outage downstream (Kafka unreachable) is waited for and keeps the agent
      // ready; a refusal (missing topic, credentials, TLS) needs an operator, so
      // /readyz names it. Nothing else depends on it: /startupz and /livez stay 200
      // and the agent keeps retrying.
      readiness: () => {
        const refusal = pipeline.outputRefusal();
        if (refusal === undefined) return true;
        return { ready: false, reason: `${refusal.code}: ${refusal.message}` };
      },
      status: () => {
        const refusal = pipeline.outputRefusal();
        return {
          role,
          output: { kind: config.output.kind, state: pipeline.outputState() },
          ...(config.output.kind === 'kafka'
            ? { kafka_refused: refusal === undefined ? null : refusalStatus(refusal) }
            : {}),
        };
      },
      onRequest: dashboardRoutes(
        () => {
          const snapshot = live.snapshot();
          return note === undefined ? snapshot : { ...snapshot, enrichmentNote: note };
        },
        undefined,
        dashboardPrivacy(config),
      ),
      access: serverAccess(config),
    },
    logger,
  );
  // Reading is 'working' only while it has a backlog and nothing waits on the
  // output; the output is 'waiting' (not wedged) while it backs off.
  server.addStage({
    name: 'input',
    state: () => {
      const s = sumStats();
      if (s.inFlightEvents > 0) return 'waiting';
      return s.backlogBytes > 0 ? 'working' : 'idle';
    },
    progress: () => pipeline.counters.linesRead,
  });
  server.addStage({
    name: 'output',
    state: () => (sumStats().inFlightEvents === 0 ? 'idle' : pipeline.outputState()),
    progress: () => pipeline.counters.batchesAcked,
  });
  return server;
}
