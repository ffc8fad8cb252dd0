// The one test for "a JSON/YAML mapping": an object that is not null and not
// an array. Config loading, config checks, the JSON log parser and event
// merging all ask this same question of untrusted input.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
