/**
 * The AMPS value model of spec §14.3 and the comparison rules of §14.5, for JSON documents.
 * A value is a scalar (number — NaN included —, string, boolean, null) or, for a field with
 * several values, an array of scalars. The empty string and the empty array are NULL.
 */

/** A single AMPS value. */
export type AmpsScalar = number | string | boolean | null;

/** Any AMPS value: a scalar or the values of a repeated field (§14.4). */
export type AmpsValue = AmpsScalar | readonly AmpsScalar[];

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

/**
 * String → number as AMPS converts on demand: only the numeric literal forms of §14.1
 * (optional leading `-`, digits, fraction, exponent) convert; anything else is NaN.
 */
export function stringToNumber(s: string): number {
  const c = s.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45 || c === 46)) return NaN;
  return NUMERIC.test(s) ? Number(s) : NaN;
}

/** True when the string holds an integer literal (no fraction, no exponent). */
export function isIntegerString(s: string): boolean {
  return INTEGER.test(s);
}

/** The scalar an operator that is not array-aware sees: the first element of an array. */
export function first(v: AmpsValue): AmpsScalar {
  if (Array.isArray(v)) return (v as readonly AmpsScalar[])[0] ?? null;
  return v as AmpsScalar;
}

/** Numeric view of a value (NULL stays null; Booleans are 1/0; strings convert or are NaN). */
export function toNumber(v: AmpsValue): number | null {
  const s = first(v);
  if (typeof s === 'number') return s;
  if (s === null) return null;
  if (typeof s === 'boolean') return s ? 1 : 0;
  return stringToNumber(s);
}

/** String view of a value (NULL stays null); integers print without fraction. */
export function toText(v: AmpsValue): string | null {
  const s = first(v);
  if (s === null) return null;
  if (typeof s === 'string') return s;
  return String(s);
}

/**
 * Three-valued truth of a value in a logical context: Booleans as they are, NULL as NULL,
 * numbers true when non-zero and not NaN (UNCONFIRMED in the spec; chosen as the C-like
 * reading), strings by their numeric conversion (non-numeric strings are false).
 */
export function truth(v: AmpsValue): boolean | null {
  if (typeof v === 'boolean') return v;
  const s = first(v);
  if (s === null) return null;
  if (typeof s === 'boolean') return s;
  const n = typeof s === 'number' ? s : stringToNumber(s);
  return n === n && n !== 0;
}

/**
 * Compares two non-NULL scalars by the rules of §14.5: numbers (and Booleans as 1/0)
 * numerically; a number against a string numerically when the string converts, otherwise the
 * string is greater; two strings by code unit, with no numeric conversion.
 * Returns a negative number, 0 or a positive number, or NaN when the values are unordered
 * (a NaN operand).
 */
export function compareScalars(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'string') {
    if (typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
    const an = stringToNumber(a);
    if (an !== an) return 1;
    return numericOrder(an, typeof b === 'number' ? b : b ? 1 : 0);
  }
  const an = typeof a === 'number' ? a : a ? 1 : 0;
  if (typeof b === 'string') {
    const bn = stringToNumber(b);
    if (bn !== bn) return -1;
    return numericOrder(an, bn);
  }
  return numericOrder(an, typeof b === 'number' ? b : b ? 1 : 0);
}

function numericOrder(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  return NaN;
}

/** The comparison operators after normalisation. */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Applies a comparison operator to an order from {@link compareScalars}. NaN operands follow
 * IEEE 754 (UNCONFIRMED in the spec): every comparison is false except `!=`, which is true.
 */
export function applyOrder(op: ComparisonOperator, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/**
 * A comparison with NULL and array semantics (§14.5 rules 1–2): NULL when either side is
 * NULL; for arrays, TRUE when any pair of non-NULL elements satisfies the operator, FALSE when
 * some pair was compared and none did, NULL when every pair involved a NULL.
 */
export function compareValues(op: ComparisonOperator, a: AmpsValue, b: AmpsValue): boolean | null {
  if (a === null || b === null) return null;
  const aArray = Array.isArray(a);
  const bArray = Array.isArray(b);
  if (!aArray && !bArray) {
    return applyOrder(op, compareScalars(a as number | string | boolean, b as number | string | boolean));
  }
  let compared = false;
  if (!bArray) {
    const y = b as number | string | boolean;
    for (const x of a as readonly AmpsScalar[]) {
      if (x === null) continue;
      compared = true;
      if (applyOrder(op, compareScalars(x, y))) return true;
    }
  } else if (!aArray) {
    const x = a as number | string | boolean;
    for (const y of b as readonly AmpsScalar[]) {
      if (y === null) continue;
      compared = true;
      if (applyOrder(op, compareScalars(x, y))) return true;
    }
  } else {
    for (const x of a as readonly AmpsScalar[]) {
      if (x === null) continue;
      for (const y of b as readonly AmpsScalar[]) {
        if (y === null) continue;
        compared = true;
        if (applyOrder(op, compareScalars(x, y))) return true;
      }
    }
  }
  return compared ? false : null;
}

/** Calls `test` on each non-NULL scalar of `v`: TRUE if any passes, NULL if there were none. */
export function anyScalar(v: AmpsValue, test: (s: number | string | boolean) => boolean): boolean | null {
  if (v === null) return null;
  if (!Array.isArray(v)) return test(v as number | string | boolean);
  let seen = false;
  for (const x of v as readonly AmpsScalar[]) {
    if (x === null) continue;
    seen = true;
    if (test(x)) return true;
  }
  return seen ? false : null;
}

/** Turns a JSON value found in a message into an AMPS scalar (`''` is NULL). */
export function fromJson(v: unknown): AmpsScalar | undefined {
  switch (typeof v) {
    case 'number':
    case 'boolean':
      return v;
    case 'string':
      return v === '' ? null : v;
    case 'bigint':
      return Number(v);
    default:
      return v === null ? null : undefined;
  }
}
