/**
 * Helpers on JS values shared by the codecs: safe, fast member assignment for decoded
 * objects (a repeated key keeps its first value, AMPS's default for JSON; a `__proto__`
 * key becomes an ordinary own member instead of replacing the prototype), and type names
 * for error messages.
 */

/** Sets `obj[key] = value` unless `obj` already has `key`. */
export function addFirstMember<T>(obj: Record<string, T>, key: string, value: T): void {
  if (Object.hasOwn(obj, key)) return;
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** A short name of a value's type for error messages. */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor ? `a ${ctor}` : 'an object';
}

/** True for `{}` literals and `Object.create(null)` objects (not arrays, Maps, class instances). */
export function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
