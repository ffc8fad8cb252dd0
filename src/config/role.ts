// Defaults that depend on the command running the config. A sidecar's cost is
// paid once per pod, so the agent leaves GeoIP and user-agent parsing to the
// writer and only adds what the pod alone knows (Kubernetes metadata); the
// writer enriches and has no pod of its own to describe; `run` has no writer
// behind it and does everything. The schema declares these next to the keys
// (`x-role-default`); its plain `default` is the `run` value. A key the file
// (or a flag) sets is never touched: explicit config always wins.

import { isPlainObject, setOwn } from '../support/plain-object.js';
import type { SchemaNode } from './json-schema.js';
import { configSchema } from './schema.js';

export const ROLES = ['agent', 'writer', 'run'] as const;
export type Role = (typeof ROLES)[number];

/** The key path and value of every default `role` changes, in schema order. */
export function roleDefaults(
  role: Role,
  schema: SchemaNode = configSchema as SchemaNode,
): { path: string[]; value: unknown }[] {
  const out: { path: string[]; value: unknown }[] = [];
  const walk = (node: SchemaNode, path: string[]): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const byRole = child['x-role-default'];
      if (byRole !== undefined) out.push({ path: [...path, key], value: byRole[role] });
      walk(child, [...path, key]);
    }
  };
  walk(schema, []);
  return out;
}

/**
 * Fills the role's defaults into a raw (not yet validated) tree, in place, where the
 * tree does not set the key. A part that is not a mapping is left for validation to name.
 */
export function applyRoleDefaults(tree: Record<string, unknown>, role: Role): void {
  for (const { path, value } of roleDefaults(role)) {
    let node: Record<string, unknown> = tree;
    let ok = true;
    for (const key of path.slice(0, -1)) {
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (next === undefined) setOwn(node, key, {});
      else if (!isPlainObject(next)) {
        ok = false;
        break;
      }
      node = node[key] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1];
    if (ok && (!Object.hasOwn(node, leaf) || node[leaf] === undefined)) setOwn(node, leaf, value);
  }
}

/** `--role` text to a Role, or undefined when it names none. */
export function parseRole(text: string): Role | undefined {
  return (ROLES as readonly string[]).includes(text) ? (text as Role) : undefined;
}
