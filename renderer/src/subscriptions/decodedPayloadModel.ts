/**
 * The detail pane's model of a payload main decoded by message type: a tree as highlighted
 * JSON-style lines (keys, strings, numbers, literals, type labels), the JSON to copy, and the
 * name of the copy button. Pure: no DOM, no Svelte.
 */
import type { DecodedNode, DecodedPayloadView } from '../../../common/src/dto/decodedPayload.js';
import { DECODED_FROM_TYPES } from '../../../common/src/dto/subscriptions.js';
import { formatHexDump } from '../../../client/src/types/binary.js';

/** What a token of a tree line is, for its colour. */
export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'binary' | 'punct' | 'label' | 'indent';

/** One coloured piece of a line. */
export interface Token {
  kind: TokenKind;
  text: string;
}

/** Most tree lines rendered in the pane (the rest are counted, and copied whole). */
export const MAX_TREE_LINES = 5000;

/** Highlighted lines of a tree, at most `max`, with how many were left out. */
export interface TreeLines {
  lines: Token[][];
  hidden: number;
}

function scalarTokens(node: DecodedNode): Token[] {
  switch (node.type) {
    case 'number':
      return [{ kind: 'number', text: typeof node.value === 'number' ? String(node.value) : JSON.stringify(node.value) }];
    case 'bigint':
      return [{ kind: 'number', text: String(node.value) }];
    case 'boolean':
      return [{ kind: 'literal', text: node.value === true ? 'true' : 'false' }];
    case 'null':
      return [{ kind: 'literal', text: 'null' }];
    case 'binary':
      return [{ kind: 'binary', text: JSON.stringify(`0x${String(node.value ?? '')}`) }];
    default:
      return [{ kind: 'string', text: JSON.stringify(node.value ?? '') }];
  }
}

function labelOf(node: DecodedNode): string | undefined {
  const parts: string[] = [];
  if (node.label !== undefined) parts.push(node.label);
  if (node.type === 'datetime' && node.label === undefined) parts.push('datetime');
  if (node.type === 'binary' && node.size !== undefined) parts.push(`${node.size} bytes`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * The tree as JSON-style lines, two spaces per level: for a JSON payload exactly its
 * pretty-printed text; other formats add their type detail (`int32`, `xml attribute`) as a
 * label token after the value.
 */
export function treeLines(root: DecodedNode, max = MAX_TREE_LINES): TreeLines {
  const lines: Token[][] = [];
  let hidden = 0;
  const push = (line: Token[]): void => {
    if (lines.length < max) lines.push(line);
    else hidden++;
  };
  // An explicit stack: [node, depth, in an object, trailing comma] or a closing line.
  type Item = { node: DecodedNode; depth: number; keyed: boolean; comma: boolean } | { close: string; depth: number; comma: boolean };
  const stack: Item[] = [{ node: root, depth: 0, keyed: false, comma: false }];
  while (stack.length > 0) {
    const item = stack.pop() as Item;
    const line: Token[] = item.depth > 0 ? [{ kind: 'indent', text: '  '.repeat(item.depth) }] : [];
    if ('close' in item) {
      line.push({ kind: 'punct', text: item.close + (item.comma ? ',' : '') });
      push(line);
      continue;
    }
    const { node, depth, keyed, comma } = item;
    if (keyed && node.key !== undefined) line.push({ kind: 'key', text: JSON.stringify(node.key) }, { kind: 'punct', text: ': ' });
    const label = labelOf(node);
    if (node.children === undefined) {
      line.push(...scalarTokens(node));
      if (comma) line.push({ kind: 'punct', text: ',' });
      if (label !== undefined) line.push({ kind: 'label', text: `  ${label}` });
      push(line);
      continue;
    }
    const [open, close] = node.type === 'array' ? ['[', ']'] : ['{', '}'];
    if (node.children.length === 0) {
      line.push({ kind: 'punct', text: `${open}${close}${comma ? ',' : ''}` });
      if (label !== undefined) line.push({ kind: 'label', text: `  ${label}` });
      push(line);
      continue;
    }
    line.push({ kind: 'punct', text: open });
    if (label !== undefined) line.push({ kind: 'label', text: `  ${label}` });
    push(line);
    stack.push({ close, depth, comma });
    const inObject = node.type !== 'array';
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push({ node: node.children[i] as DecodedNode, depth: depth + 1, keyed: inObject, comma: i < node.children.length - 1 });
    }
  }
  return { lines, hidden };
}

/** The text of highlighted lines (what the pane shows), one line each. */
export function linesText(lines: readonly Token[][]): string {
  return lines.map((l) => l.map((t) => t.text).join('')).join('\n');
}

function nodeValue(node: DecodedNode): unknown {
  if (node.children !== undefined) {
    if (node.type === 'array') return node.children.map(nodeValue);
    const obj: Record<string, unknown> = {};
    for (const child of node.children) {
      const key = child.key ?? '';
      // A repeated key keeps its first value (as AMPS reads it).
      if (!Object.hasOwn(obj, key)) Object.defineProperty(obj, key, { value: nodeValue(child), enumerable: true, writable: true, configurable: true });
    }
    return obj;
  }
  switch (node.type) {
    case 'bigint':
      return new RawNumber(String(node.value));
    case 'binary':
      return `0x${String(node.value ?? '')}`;
    default:
      return node.value ?? null;
  }
}

/** A number JSON.stringify would round: written by its digits. */
class RawNumber {
  constructor(readonly digits: string) {}
}

function valueOf(payload: DecodedPayloadView): unknown {
  switch (payload.kind) {
    case 'tree':
      return nodeValue(payload.root);
    case 'fields': {
      const out: Record<string, unknown> = {};
      for (const { name, value } of payload.fields) {
        const seen = out[name];
        if (!Object.hasOwn(out, name)) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
        else out[name] = Array.isArray(seen) ? [...(seen as unknown[]), value] : [seen, value];
      }
      return out;
    }
    case 'composite':
      return payload.parts.map(valueOf);
    case 'text':
      return payload.text;
    case 'hex':
      return formatHexDump(payload);
    case 'error':
      return formatHexDump(payload.fallback);
  }
}

/**
 * The payload as JSON text: a tree as its value (big integers exact, binary as `0x…`), fields
 * as an object of name → value (a repeated name becomes an array), a composite as an array of
 * its parts, text and hex dumps as JSON strings.
 */
export function decodedAsJson(payload: DecodedPayloadView): string {
  const marks: string[] = [];
  // A marker no string of the payload can hold by chance.
  const nonce = Math.random().toString(36).slice(2);
  const text = JSON.stringify(
    valueOf(payload),
    (_key, value: unknown) => {
      if (value instanceof RawNumber) {
        marks.push(value.digits);
        return `\u0000${nonce}:${marks.length - 1}\u0000`;
      }
      return value;
    },
    2,
  );
  const marked = new RegExp(`"\\\\u0000${nonce}:(\\d+)\\\\u0000"`, 'g');
  return text.replace(marked, (_m, i: string) => marks[Number(i)] ?? 'null');
}

/** True when "Copy as JSON" has a value to give (trees, fields and composites of them). */
export function hasJson(payload: DecodedPayloadView): boolean {
  if (payload.kind === 'composite') return payload.parts.some(hasJson);
  return payload.kind === 'tree' || payload.kind === 'fields';
}

/** The copy button's name: what it copies of a message shown as `decodedFrom`'s JSON or as received. */
export function copyPayloadName(decodedFrom: string | undefined): string {
  return decodedFrom !== undefined && (DECODED_FROM_TYPES as readonly string[]).includes(decodedFrom)
    ? `Copy payload (${decodedFrom} as JSON)`
    : 'Copy payload as received';
}

/** Text payloads up to this size are decoded by main for the pane; binary documents always (main bounds them). */
export const DECODE_IN_PANE_BYTES = 1024 * 1024;

/**
 * True when the pane asks main to decode the message: a binary document always (main refuses
 * one over its bound with a reason), a text payload up to {@link DECODE_IN_PANE_BYTES} (a larger
 * one opens in the whole-payload viewer, rows on demand).
 */
export function decodeInPane(message: { size: number; decodedFrom?: string }): boolean {
  return message.decodedFrom !== undefined || message.size <= DECODE_IN_PANE_BYTES;
}

/** A part's heading: `Part 1 (json)`. */
export function partHeading(index: number, part: DecodedPayloadView): string {
  return `Part ${index + 1} (${part.format})`;
}
