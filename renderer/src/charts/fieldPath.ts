/**
 * Reads a field of a JSON message by path, as AMPS writes them (`/price`, `/quote/bid`) or with
 * dots (`quote.bid`). Numbers and numeric text count as numbers; anything else is absent.
 */

/** The path's parts; throws naming the problem for an empty path. */
export function parseFieldPath(path: string): string[] {
  const trimmed = path.trim();
  const parts = (trimmed.startsWith('/') ? trimmed.slice(1).split('/') : trimmed.split('.')).filter(
    (p) => p !== '',
  );
  if (parts.length === 0) throw new Error('a field path names at least one field, e.g. /price or quote.bid');
  return parts;
}

/** The value at `parts` of a parsed JSON value, or undefined. */
export function valueAt(root: unknown, parts: readonly string[]): unknown {
  let node = root;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A finite number from a JSON value (numbers and numeric text), or undefined. */
export function numberOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Text of a key field's value (strings, numbers, booleans), or undefined. */
export function keyOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
