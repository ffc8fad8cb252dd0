// YAML for people: `logpod check` prints the effective config with this. Pass it an
// already-redacted value; rendering never looks at what the strings hold.

import { stringify } from 'yaml';

/** Block-style YAML, keys in their given order, long strings kept on one line. */
export function renderConfigYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
}
