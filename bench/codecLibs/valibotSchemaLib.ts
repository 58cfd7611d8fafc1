/**
 * common/src/ipc/schemaLib.ts's API as a thin facade over valibot: the same functions, the
 * same `describe` strings and (as far as valibot's issues allow) the same messages, for the
 * codecs benchmark and to run our schema tests against the library:
 *
 *   LIB=valibotSchemaLib npx vitest run --config bench/codecLibs/libTests.config.ts
 */
import * as v from 'valibot';
import { ValidationError } from '../../common/src/ipc/errors.js';
import type {
  ArrayRules,
  Infer,
  NumberRules,
  ObjectOf,
  OptionalSchema,
  Schema,
  StringRules,
} from '../../common/src/ipc/schemaLib.js';

export type { ArrayRules, Infer, NumberRules, ObjectOf, OptionalSchema, Schema, StringRules };

type Shape = Record<string, Schema<unknown>>;
type Issue = v.BaseIssue<unknown>;
type Any = v.GenericSchema;

/** A facade schema: ours on the outside, a valibot schema inside. */
interface Facade<T> extends Schema<T> {
  readonly inner: Any;
}

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function joinPath(base: string, items: readonly { key?: unknown; type: string }[] | undefined): string {
  let out = base;
  for (const item of items ?? []) {
    if (item.type === 'unknown') out += String(item.key);
    else out += item.type === 'array' ? `[${String(item.key)}]` : `.${String(item.key)}`;
  }
  return out;
}

/** Our message of one valibot issue at `base`; a failed union lists every alternative's. */
function describeIssue(issue: Issue, base: string): [string, string] {
  const path = joinPath(base, issue.path as { key?: unknown; type: string }[] | undefined);
  if (issue.type === 'union' && issue.issues) {
    const each = issue.issues.map((sub) => {
      const [p, m] = describeIssue(sub, path);
      return `${p}: ${m}`;
    });
    return [path, `matches no alternative (${each.join('; ')})`];
  }
  return [path, issue.message];
}

function facade<T>(inner: Any, describe: string): Facade<T> {
  return {
    inner,
    describe,
    parse(value: unknown, path = 'value'): T {
      const result = v.safeParse(inner, value, { abortEarly: true, abortPipeEarly: true });
      if (result.success) return result.output as T;
      const [where, problem] = describeIssue(result.issues[0] as Issue, path);
      throw new ValidationError(where, problem);
    },
  };
}

/**
 * The valibot schema of a facade schema; a schema written by hand against our interface
 * (profileSchemas.ts and workspaceSchemas.ts have some) is wrapped so its errors become issues.
 */
const innerOf = (s: Schema<unknown>): Any => {
  const inner = (s as Partial<Facade<unknown>>).inner;
  if (inner !== undefined) return inner;
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return s.parse(dataset.value, '');
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const rel = error.path;
        addIssue({
          message: error.message.slice(rel.length + 2),
          path: [{ type: 'unknown', origin: 'value', input: dataset.value, key: rel, value: dataset.value }],
        });
        return NEVER;
      }
    }),
  ) as Any;
};

/** A string with a required maximum length. */
export function string(rules: StringRules): Schema<string> {
  const min = rules.minLength ?? 0;
  const items: v.PipeItem<string, string, Issue>[] = [
    v.check(
      (s: string) => s.length <= rules.maxLength,
      (i) => `longer than ${rules.maxLength} characters (${String((i.input as string).length)})`,
    ),
    v.check(
      (s: string) => s.length >= min,
      min === 1 ? 'must not be empty' : `shorter than ${min} characters`,
    ),
  ];
  if (rules.pattern !== undefined) {
    items.push(v.regex(rules.pattern, `must be ${rules.patternName ?? `matching ${String(rules.pattern)}`}`));
  }
  const inner = v.pipe(
    v.string((i) => `expected a string, got ${typeName(i.input)}`),
    ...items,
  );
  return facade(inner as Any, `string(${min}..${rules.maxLength})`);
}

/** A finite number, optionally an integer within bounds. */
export function number(rules: NumberRules = {}): Schema<number> {
  const finite = (i: Issue): string =>
    `expected a finite number, got ${typeof i.input === 'number' ? String(i.input) : typeName(i.input)}`;
  const items: v.PipeItem<number, number, Issue>[] = [v.finite(finite)];
  if (rules.integer === true) items.push(v.integer((i) => `expected an integer, got ${String(i.input)}`));
  if (rules.min !== undefined)
    items.push(v.minValue(rules.min, (i) => `must be >= ${rules.min} (got ${String(i.input)})`));
  if (rules.max !== undefined)
    items.push(v.maxValue(rules.max, (i) => `must be <= ${rules.max} (got ${String(i.input)})`));
  return facade(v.pipe(v.number(finite), ...items) as Any, rules.integer === true ? 'integer' : 'number');
}

/** A boolean. */
export function boolean(): Schema<boolean> {
  return facade(
    v.boolean((i) => `expected a boolean, got ${typeName(i.input)}`),
    'boolean',
  );
}

/** One of the given string values. */
export function enumOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  const message = (i: Issue): string =>
    `expected one of ${values.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(i.input) ?? typeName(i.input)}`;
  return facade(v.picklist(values as unknown as string[], message), values.join('|'));
}

/** Marks a schema as an optional object member (absent or `undefined`). */
export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return { ...facade<T | undefined>(v.optional(innerOf(inner)), `${inner.describe}?`), optional: true };
}

/** The value or `null`. */
export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return facade(v.nullable(innerOf(inner)), `${inner.describe}|null`);
}

/** No payload: accepts `undefined` or `null`. */
export function none(): Schema<undefined> {
  const inner = v.pipe(
    v.custom<undefined | null>(
      (x) => x === undefined || x === null,
      (i) => `expected no payload, got ${typeName(i.input)}`,
    ),
    v.transform(() => undefined),
  );
  return facade(inner as Any, 'nothing');
}

/** An object with exactly these keys: unknown keys are rejected, optional ones may be absent. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const entries: Record<string, Any> = {};
  for (const key of keys) entries[key] = innerOf(shape[key] as Schema<unknown>);
  const keyMessage = (i: Issue): string => {
    if (i.expected === 'never') return `unknown key (allowed: ${keys.join(', ') || 'none'})`;
    const key = String((i.path?.[0] as { key?: unknown } | undefined)?.key ?? '');
    return `missing (expected ${shape[key]?.describe ?? 'a value'})`;
  };
  const inner = v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, (i) => `expected an object, got ${typeName(i.input)}`),
    // Ours names an unknown key before a missing one; valibot's strictObject the other way round.
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const input = dataset.value as Record<string, unknown>;
      const unknown = Object.keys(input).find((k) => !Object.hasOwn(shape, k));
      if (unknown === undefined) return;
      addIssue({
        message: `unknown key (allowed: ${keys.join(', ') || 'none'})`,
        path: [{ type: 'object', origin: 'value', input, key: unknown, value: input[unknown] }],
      });
    }),
    v.strictObject(entries, keyMessage),
  );
  return facade(inner as Any, `{ ${keys.join(', ')} }`);
}

/** An array with a required maximum length. */
export function array<T>(item: Schema<T>, rules: ArrayRules): Schema<T[]> {
  const inner = v.pipe(
    v.custom<unknown[]>(
      (x) => Array.isArray(x),
      (i) => `expected an array, got ${typeName(i.input)}`,
    ),
    v.check(
      (a: unknown[]) => a.length <= rules.maxLength,
      (i) => `more than ${rules.maxLength} items (${String((i.input as unknown[]).length)})`,
    ),
    v.array(innerOf(item)),
  );
  return facade(inner as Any, `${item.describe}[<=${rules.maxLength}]`);
}

/** The first alternative that accepts the value. */
export function oneOf<A extends readonly Schema<unknown>[]>(alternatives: A): Schema<Infer<A[number]>> {
  return facade(v.union(alternatives.map(innerOf)), alternatives.map((a) => a.describe).join(' | '));
}
