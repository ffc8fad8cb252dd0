// Key paths as users read them in messages: `inputs[0].paths`, `output.kafka.brokers`,
// `fields["service.name"]`. Array positions are numbers, mapping keys are strings.

export type KeyPath = ReadonlyArray<string | number>;

function isPlainKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      c === 0x5f ||
      c === 0x2d ||
      (i > 0 && c >= 0x30 && c <= 0x39);
    if (!ok) return false;
  }
  return true;
}

/** `['inputs', 0, 'paths']` -> `inputs[0].paths`; the empty path is `(root)`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (isPlainKey(segment)) out += out.length === 0 ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out.length === 0 ? '(root)' : out;
}
