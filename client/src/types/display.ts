/**
 * Conversions from decoded values (MessagePack, BSON, XML, BFlat) to the display model of
 * `decoded.ts`, where every value is JSON-safe text, number, boolean or null.
 */
import type { BFlatField, BFlatScalar } from './bflat.js';
import { toHex } from './binary.js';
import { BsonBinary, BsonOther } from './bson.js';
import type { DisplayField, DisplayNode } from './decoded.js';
import { MsgPackExtension, MsgPackTimestamp } from './msgpackExt.js';
import type { XmlElement } from './xml.js';

/** Hex shown for one binary value at most (the node's `size` tells the full length). */
export const MAX_BINARY_DISPLAY_BYTES = 4096;

function binaryNode(bytes: Uint8Array, label?: string): DisplayNode {
  const node: DisplayNode = {
    type: 'binary',
    value: toHex(bytes.subarray(0, MAX_BINARY_DISPLAY_BYTES)),
    size: bytes.length,
  };
  if (label !== undefined) node.label = label;
  return node;
}

function dateText(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString();
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean' || k === null)
    return String(k);
  if (k instanceof Uint8Array) return `0x${toHex(k)}`;
  return `<${Array.isArray(k) ? 'array' : 'object'} key>`;
}

function withKey(node: DisplayNode, key: string | undefined): DisplayNode {
  if (key !== undefined) node.key = key;
  return node;
}

/** Converts a decoded MessagePack or BSON value (or any plain JS value) to a display tree. */
export function valueToDisplay(value: unknown, key?: string): DisplayNode {
  const v = value;
  if (v === null || v === undefined) return withKey({ type: 'null', value: null }, key);
  if (typeof v === 'boolean') return withKey({ type: 'boolean', value: v }, key);
  if (typeof v === 'number') {
    return withKey({ type: 'number', value: Number.isFinite(v) ? v : String(v) }, key);
  }
  if (typeof v === 'bigint') return withKey({ type: 'bigint', value: v.toString() }, key);
  if (typeof v === 'string') return withKey({ type: 'string', value: v }, key);
  if (v instanceof Uint8Array) return withKey(binaryNode(v), key);
  if (v instanceof Date) return withKey({ type: 'datetime', value: dateText(v) }, key);
  if (v instanceof MsgPackTimestamp)
    return withKey({ type: 'datetime', value: v.toISOString(), label: 'timestamp' }, key);
  if (v instanceof MsgPackExtension) return withKey(binaryNode(v.data, `ext ${v.type}`), key);
  if (v instanceof BsonBinary)
    return withKey(binaryNode(v.data, `subtype 0x${v.subtype.toString(16).padStart(2, '0')}`), key);
  if (v instanceof BsonOther) return withKey({ type: 'string', value: v.display, label: v.typeName }, key);
  if (Array.isArray(v)) {
    return withKey({ type: 'array', children: v.map((item: unknown) => valueToDisplay(item)) }, key);
  }
  if (v instanceof Map) {
    const children: DisplayNode[] = [];
    for (const [k, item] of v) children.push(valueToDisplay(item, keyText(k)));
    return withKey({ type: 'object', children, label: 'map' }, key);
  }
  if (typeof v === 'object') {
    return withKey(
      { type: 'object', children: Object.entries(v).map(([k, item]) => valueToDisplay(item, k)) },
      key,
    );
  }
  return withKey({ type: 'string', value: String(v as string) }, key);
}

/**
 * Converts an XML element to a display tree: attributes as `@name` string members, child
 * elements by name, text as `#text` (whitespace-only text between elements is dropped). An
 * element holding only text becomes a string node.
 */
export function xmlToDisplay(el: XmlElement): DisplayNode {
  const hasElements = el.children.some((c) => c.type === 'element');
  if (el.attributes.length === 0 && !hasElements) {
    return {
      key: el.name,
      type: 'string',
      value: el.children.map((c) => (c.type === 'text' ? c.text : '')).join(''),
    };
  }
  const children: DisplayNode[] = el.attributes.map((a) => ({
    key: `@${a.name}`,
    type: 'string',
    value: a.value,
    label: 'xml attribute',
  }));
  for (const c of el.children) {
    if (c.type === 'element') children.push(xmlToDisplay(c));
    else if (!hasElements || c.cdata || c.text.trim() !== '') {
      children.push({ key: '#text', type: 'string', value: c.text, ...(c.cdata ? { label: 'cdata' } : {}) });
    }
  }
  return { key: el.name, type: 'object', children };
}

function scalarText(v: BFlatScalar): string | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) return `0x${toHex(v.subarray(0, MAX_BINARY_DISPLAY_BYTES))}`;
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'string') return v;
  return String(v);
}

/** Converts BFlat fields to display rows; arrays render as `[a, b]` with strings JSON-quoted. */
export function bflatToDisplay(fields: readonly BFlatField[]): DisplayField[] {
  return fields.map((f) => {
    const type = f.array ? `${f.type}[]` : f.type;
    if (!Array.isArray(f.value)) return { name: f.tag, value: scalarText(f.value), type };
    const items = f.value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : (scalarText(v) ?? 'null')));
    return { name: f.tag, value: `[${items.join(', ')}]`, type };
  });
}

function scalarJson(node: DisplayNode): string {
  switch (node.type) {
    case 'bigint':
      return String(node.value);
    case 'number':
      // A number no double holds keeps its original text; non-finite values from binary formats are quoted.
      return typeof node.value === 'number' || /^-?[0-9]/.test(String(node.value))
        ? String(node.value)
        : JSON.stringify(node.value);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'binary':
      return JSON.stringify(`0x${String(node.value ?? '')}`);
    default:
      return JSON.stringify(node.value ?? null);
  }
}

/**
 * Pretty-prints a display tree as JSON-style text (for JSON payloads it is valid JSON with
 * big integers exact and duplicate keys kept); binary shows as a quoted `0x...` string and
 * datetimes as quoted ISO strings.
 */
export function formatDisplayTree(node: DisplayNode, indent = 2): string {
  const out: string[] = [];
  const pad = ' '.repeat(indent);
  const walk = (n: DisplayNode, prefix: string, depth: number): void => {
    const head = n.key !== undefined && prefix === 'key' ? `${JSON.stringify(n.key)}: ` : '';
    if (n.children === undefined) {
      out.push(head + scalarJson(n));
      return;
    }
    const [open, close] = n.type === 'array' ? ['[', ']'] : ['{', '}'];
    if (n.children.length === 0) {
      out.push(`${head}${open}${close}`);
      return;
    }
    out.push(`${head}${open}\n`);
    n.children.forEach((c, i) => {
      out.push(pad.repeat(depth + 1));
      walk(c, n.type === 'array' ? 'index' : 'key', depth + 1);
      out.push(i < (n.children as DisplayNode[]).length - 1 ? ',\n' : '\n');
    });
    out.push(`${pad.repeat(depth)}${close}`);
  };
  walk(node, 'root', 0);
  return out.join('');
}
