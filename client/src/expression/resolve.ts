/**
 * Identifier resolution for JSON documents (spec §14.4). Conceptually the document is
 * flattened into `path → list of scalars` (array elements share their array's path, at any
 * depth, nested arrays included); a path with no value is NULL, one value is a scalar, several
 * are an array, and `[n]` picks the n-th value (0-based). Objects themselves have no value.
 * The resolver walks only the requested path and allocates nothing unless it meets an array.
 */
import type { AmpsScalar, AmpsValue } from './values.js';
import { fromJson } from './values.js';

const hasOwn = Object.prototype.hasOwnProperty;

function child(node: unknown, step: string): unknown {
  return hasOwn.call(node, step) ? (node as Record<string, unknown>)[step] : undefined;
}

function collect(node: unknown, path: readonly string[], index: number, out: AmpsScalar[]): void {
  if (Array.isArray(node)) {
    for (const element of node) collect(element, path, index, out);
    return;
  }
  if (index === path.length) {
    const s = fromJson(node);
    if (s !== undefined) out.push(s);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  collect(child(node, path[index] as string), path, index + 1, out);
}

/** A compiled field reference: returns the field's AMPS value in a parsed JSON document. */
export type FieldResolver = (message: unknown) => AmpsValue;

/** Compiles `/a/b` (optionally with a subscript) into a {@link FieldResolver}. */
export function compileResolver(path: readonly string[], subscript?: number): FieldResolver {
  const steps = path.slice();
  const depth = steps.length;
  const slow = (message: unknown): AmpsValue => {
    const out: AmpsScalar[] = [];
    collect(message, steps, 0, out);
    if (subscript !== undefined) return out[subscript] ?? null;
    if (out.length === 0) return null;
    return out.length === 1 ? (out[0] as AmpsScalar) : out;
  };
  return (message: unknown): AmpsValue => {
    let node = message;
    for (let i = 0; i < depth; i++) {
      if (node === null || typeof node !== 'object') return null;
      if (Array.isArray(node)) return slow(message);
      node = child(node, steps[i] as string);
    }
    if (Array.isArray(node)) return slow(message);
    if (subscript !== undefined && subscript > 0) return null;
    return fromJson(node) ?? null;
  };
}
