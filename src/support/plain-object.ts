// Plain objects from untrusted input (config files, JSON log lines): the one
// test for "a mapping" (an object, not null, not an array), and the one way
// to set a key that may be `__proto__` as an own property.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Assigns an own property, even for the key `__proto__` (which `obj[key] =` would not). */
export function setOwn(obj: PlainObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}
