// Keys that could reach an object's prototype when a config mapping is merged into an
// event (`fields: {__proto__: {...}}` once reached Object.prototype): refused anywhere in
// the config, so every later copy and merge only ever sees plain keys.

import { formatKeyPath, type KeyPath } from './key-path.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** True for `__proto__`, `constructor` and `prototype`. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}

/** One message per forbidden key in the tree, with its key path. */
export function forbiddenKeyProblems(tree: unknown): string[] {
  const problems: string[] = [];
  walk(tree, [], problems);
  return problems;
}

function walk(node: unknown, path: (string | number)[], problems: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, [...path, i], problems));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const key of Object.keys(node)) {
    const at: KeyPath = [...path, key];
    if (isForbiddenKey(key)) {
      problems.push(
        `${formatKeyPath(at)}: key ${JSON.stringify(key)} is not allowed (it could change how objects behave)`,
      );
      continue;
    }
    walk((node as Record<string, unknown>)[key], [...path, key], problems);
  }
}
