// Typed builders for the config's JSON schema, and FromSchema: the TypeScript type of a
// value the schema accepts once its defaults are filled in and its durations and sizes are
// numbers. The schema is the one description of the config; the types are read off it.
// Custom keywords (registered in validate.ts): `duration` / `size` ({ min, max } in ms /
// bytes) accept a unit string or a whole number; `x-message` words a value's expected form.

import type { Role } from './role.js';

export interface Bounds {
  min: number;
  max: number;
}

/** A schema node as code that walks the schema (normalize.ts) reads it. */
export interface SchemaNode {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly default?: unknown;
  readonly duration?: Bounds;
  readonly size?: Bounds;
  readonly 'x-message'?: string;
  /** The default per command (role.ts applies it); `default` is the `run` value. */
  readonly 'x-role-default'?: Readonly<Record<Role, unknown>>;
}

/** A mapping that takes only the listed keys. */
export function closed<
  const P extends Record<string, object>,
  const R extends readonly (keyof P & string)[] = [],
>(properties: P, required: R = [] as unknown as R) {
  return { type: 'object', properties, required, additionalProperties: false } as const;
}

export function integer(minimum: number, maximum: number) {
  return { type: 'integer', minimum, maximum } as const;
}

export function oneOf<const V extends readonly string[]>(...values: V) {
  return { type: 'string', enum: values } as const;
}

/** Milliseconds; Node timers overflow past 2^31-1 ms, so the default bound is 24 days. */
export function duration(min: number, max = 24 * 86_400_000) {
  return { duration: { min, max } } as const;
}

/** Bytes. */
export function size(min: number, max: number) {
  return { size: { min, max } } as const;
}

/** A default that depends on the command (agent, writer, run); see role.ts. */
export function byRole<const V>(values: Readonly<Record<Role, V>>) {
  return { default: values.run, 'x-role-default': values } as const;
}

export const nonEmptyString = { type: 'string', minLength: 1 } as const;
export const anyString = { type: 'string' } as const;
export const boolean = { type: 'boolean' } as const;

export function stringList(minItems: number) {
  return { type: 'array', items: nonEmptyString, minItems } as const;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Keys always present after defaults: the required ones and those with a default. */
type FilledKeys<P, R> = {
  [K in keyof P]: K extends R ? K : P[K] extends { default: unknown } ? K : never;
}[keyof P];

type MappingOf<P, R> = Simplify<
  { -readonly [K in keyof P as K extends FilledKeys<P, R> ? K : never]: FromSchema<P[K]> } & {
    -readonly [K in keyof P as K extends FilledKeys<P, R> ? never : K]?: FromSchema<P[K]>;
  }
>;

/** The type of a value that passed schema `S`, with defaults filled and units converted. */
export type FromSchema<S> = S extends { duration: Bounds } | { size: Bounds }
  ? number
  : S extends { enum: readonly (infer V)[] }
    ? V
    : S extends { type: 'string' }
      ? string
      : S extends { type: 'integer' | 'number' }
        ? number
        : S extends { type: 'boolean' }
          ? boolean
          : S extends { type: 'array'; items: infer I }
            ? FromSchema<I>[]
            : S extends { properties: infer P; required: readonly (infer R)[] }
              ? MappingOf<P, R>
              : S extends { type: 'object'; additionalProperties: infer A extends object }
                ? Record<string, FromSchema<A>>
                : S extends { type: 'object' }
                  ? Record<string, unknown>
                  : unknown;
