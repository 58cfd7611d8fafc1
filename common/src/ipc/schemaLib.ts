/*
 * Why ours and not valibot (issue 15, `npm run bench -- codecs`): validating a valid
 * subscribe request, ours is 1.1-1.8x faster than the same schema in plain valibot (which is
 * 7-9x faster at rejecting one, as ours throws: that matters only for bad requests). Keeping
 * this API on valibot (bench/codecLibs/valibotSchemaLib.ts) passes all 9 schema tests, but
 * needs a custom message per check, a pre-check to name unknown keys before missing ones, and
 * a wrapper for the hand-written schemas of profileSchemas.ts and workspaceSchemas.ts: about
 * 200 lines, 1.5-2.5x slower than ours on valid requests, and 3.6 KB gzipped against our 1.3.
 */
import { ValidationError } from './errors.js';

/**
 * A tiny runtime schema library with no dependency: parse unknown data into a typed value or
 * throw a {@link ValidationError} naming the path and the problem. Objects are exact (unknown
 * keys are rejected), strings and arrays have a maximum length.
 */
export interface Schema<T> {
  /** Short description used in messages, e.g. `string(<=200)`. */
  readonly describe: string;
  /** Returns the value (a fresh copy for objects and arrays) or throws ValidationError. */
  parse(value: unknown, path?: string): T;
}

/** A schema that may be left out of an object. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

/** The type a schema produces. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The object type a shape produces: optional schemas become optional keys. */
export type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined>;
  }
>;

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const fail = (path: string, problem: string): never => {
  throw new ValidationError(path, problem);
};

/** Options of {@link string}. */
export interface StringRules {
  maxLength: number;
  minLength?: number;
  /** Must match entirely (anchor the expression yourself). */
  pattern?: RegExp;
  /** Names the pattern in messages, e.g. `an identifier`. */
  patternName?: string;
}

/** A string with a required maximum length. */
export function string(rules: StringRules): Schema<string> {
  const min = rules.minLength ?? 0;
  return {
    describe: `string(${min}..${rules.maxLength})`,
    parse(value, path = 'value') {
      if (typeof value !== 'string') return fail(path, `expected a string, got ${typeName(value)}`);
      if (value.length > rules.maxLength)
        return fail(path, `longer than ${rules.maxLength} characters (${value.length})`);
      if (value.length < min)
        return fail(path, min === 1 ? 'must not be empty' : `shorter than ${min} characters`);
      if (rules.pattern !== undefined && !rules.pattern.test(value)) {
        return fail(path, `must be ${rules.patternName ?? `matching ${String(rules.pattern)}`}`);
      }
      return value;
    },
  };
}

/** Options of {@link number}. */
export interface NumberRules {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** A finite number, optionally an integer within bounds. */
export function number(rules: NumberRules = {}): Schema<number> {
  return {
    describe: rules.integer === true ? 'integer' : 'number',
    parse(value, path = 'value') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail(
          path,
          `expected a finite number, got ${typeof value === 'number' ? String(value) : typeName(value)}`,
        );
      }
      if (rules.integer === true && !Number.isInteger(value))
        return fail(path, `expected an integer, got ${value}`);
      if (rules.min !== undefined && value < rules.min)
        return fail(path, `must be >= ${rules.min} (got ${value})`);
      if (rules.max !== undefined && value > rules.max)
        return fail(path, `must be <= ${rules.max} (got ${value})`);
      return value;
    },
  };
}

/** A boolean. */
export function boolean(): Schema<boolean> {
  return {
    describe: 'boolean',
    parse(value, path = 'value') {
      return typeof value === 'boolean' ? value : fail(path, `expected a boolean, got ${typeName(value)}`);
    },
  };
}

/** One of the given string values. */
export function enumOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  const allowed = new Set<string>(values);
  return {
    describe: values.join('|'),
    parse(value, path = 'value') {
      if (typeof value === 'string' && allowed.has(value)) return value as V[number];
      return fail(
        path,
        `expected one of ${values.map((v) => `'${v}'`).join(', ')}, got ${JSON.stringify(value) ?? typeName(value)}`,
      );
    },
  };
}

/** Marks a schema as an optional object member (absent or `undefined`). */
export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    optional: true,
    describe: `${inner.describe}?`,
    parse(value, path = 'value') {
      return value === undefined ? undefined : inner.parse(value, path);
    },
  };
}

/** The value or `null`. */
export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    describe: `${inner.describe}|null`,
    parse(value, path = 'value') {
      return value === null ? null : inner.parse(value, path);
    },
  };
}

/** No payload: accepts `undefined` or `null` (JSON transports turn one into the other). */
export function none(): Schema<undefined> {
  return {
    describe: 'nothing',
    parse(value, path = 'value') {
      return value === undefined || value === null
        ? undefined
        : fail(path, `expected no payload, got ${typeName(value)}`);
    },
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** An object with exactly these keys: unknown keys are rejected, optional ones may be absent. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  return {
    describe: `{ ${keys.join(', ')} }`,
    parse(value, path = 'value') {
      if (!isPlainObject(value)) return fail(path, `expected an object, got ${typeName(value)}`);
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) {
          return fail(`${path}.${key}`, `unknown key (allowed: ${keys.join(', ') || 'none'})`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const schema = shape[key] as Schema<unknown> & { optional?: true };
        const present = Object.hasOwn(value, key) && value[key] !== undefined;
        if (!present) {
          if (schema.optional === true) continue;
          return fail(`${path}.${key}`, `missing (expected ${schema.describe})`);
        }
        out[key] = schema.parse(value[key], `${path}.${key}`);
      }
      return out as ObjectOf<S>;
    },
  };
}

/** Options of {@link array}. */
export interface ArrayRules {
  maxLength: number;
}

/** An array with a required maximum length. */
export function array<T>(item: Schema<T>, rules: ArrayRules): Schema<T[]> {
  return {
    describe: `${item.describe}[<=${rules.maxLength}]`,
    parse(value, path = 'value') {
      if (!Array.isArray(value)) return fail(path, `expected an array, got ${typeName(value)}`);
      if (value.length > rules.maxLength)
        return fail(path, `more than ${rules.maxLength} items (${value.length})`);
      return value.map((v, i) => item.parse(v, `${path}[${i}]`));
    },
  };
}

/**
 * The first alternative that accepts the value. Alternatives should be objects told apart by
 * their keys; the message lists why each one failed.
 */
export function oneOf<A extends readonly Schema<unknown>[]>(alternatives: A): Schema<Infer<A[number]>> {
  return {
    describe: alternatives.map((a) => a.describe).join(' | '),
    parse(value, path = 'value') {
      const problems: string[] = [];
      for (const alt of alternatives) {
        try {
          return alt.parse(value, path) as Infer<A[number]>;
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          problems.push(error.message);
        }
      }
      return fail(path, `matches no alternative (${problems.join('; ')})`);
    },
  };
}
