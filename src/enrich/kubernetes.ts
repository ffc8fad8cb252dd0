// Kubernetes metadata from the downward API, read once at start: pod name,
// namespace, node and container from environment variables, labels from the
// labels file. One deeply frozen object, shared by every event, never mutated.

import { readFileSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { mergeMissing, type EcsEvent } from '../pipeline/event.js';
import { parseLabelsFile } from './labels-file.js';

export interface KubernetesOptions {
  podNameEnv: string;
  namespaceEnv: string;
  nodeNameEnv: string;
  containerNameEnv: string;
  /** The downward API labels file; '' for none. */
  labelsFile: string;
}

export interface KubernetesMetadata {
  pod?: { name: string };
  namespace?: string;
  node?: { name: string };
  container?: { name: string };
  labels?: Record<string, string>;
}

/**
 * Label keys with dots would become nested objects in Elasticsearch
 * (`app` and `app.kubernetes.io/name` cannot both be mapped): dots become '_'.
 */
export function dedot(key: string): string {
  return key.indexOf('.') === -1 ? key : key.replaceAll('.', '_');
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

function readLabels(path: string, logger: Logger): Record<string, string> | undefined {
  if (path === '') return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') logger.debug({ path }, 'no Kubernetes labels file');
    else logger.warn({ err, path }, 'Kubernetes labels file cannot be read; no labels on events');
    return undefined;
  }
  const { labels, skipped } = parseLabelsFile(text);
  if (skipped > 0) {
    logger.warn({ path, skipped }, 'Kubernetes labels file: lines not of the form key="value"');
  }
  if (labels.size === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of labels) {
    Object.defineProperty(out, dedot(key), { value, enumerable: true, writable: true });
  }
  return out;
}

/**
 * The metadata found, or undefined when not running in a pod. A pod is known
 * by the downward API's pod name and namespace, both set; without them nothing
 * else is taken either (a stray CONTAINER_NAME or NODE_NAME on a laptop does
 * not make its events look as if they came from Kubernetes).
 */
export function readKubernetesMetadata(
  options: KubernetesOptions,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Readonly<KubernetesMetadata> | undefined {
  const pod = env[options.podNameEnv];
  const namespace = env[options.namespaceEnv];
  if (!pod || !namespace) {
    logger.debug(
      { pod_name_env: options.podNameEnv, namespace_env: options.namespaceEnv },
      'not in a Kubernetes pod (downward-API variables unset): no kubernetes.* fields',
    );
    return undefined;
  }
  const meta: KubernetesMetadata = { pod: { name: pod }, namespace };
  const node = env[options.nodeNameEnv];
  if (node) meta.node = { name: node };
  const container = env[options.containerNameEnv];
  if (container) meta.container = { name: container };
  const labels = readLabels(options.labelsFile, logger);
  if (labels !== undefined) meta.labels = labels;
  return deepFreeze(meta);
}

export class KubernetesEnricher {
  constructor(readonly metadata: Readonly<KubernetesMetadata>) {}

  enrich(event: EcsEvent): void {
    const own = event.kubernetes;
    if (own === undefined) event.kubernetes = this.metadata;
    // An input's `fields` set kubernetes.* already: add ours around it, on its own copy.
    else if (typeof own === 'object' && own !== null && !Object.isFrozen(own)) {
      mergeMissing(own as Record<string, unknown>, this.metadata as Record<string, unknown>);
    }
  }
}
