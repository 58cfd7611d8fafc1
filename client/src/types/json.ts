/**
 * JSON payloads (spec §13.4). A strict RFC 8259 parser over UTF-8 bytes that reports the
 * byte offset of any problem, keeps integers beyond 2^53 exact, and keeps duplicate keys
 * for display (values use the first, as AMPS does by default).
 */
import type { DisplayNode } from './decoded.js';
import { addFirstMember, describeType, isPlainObject } from './members.js';
import { MAX_NESTING_DEPTH, PayloadError } from './payloadError.js';
import { decodeUtf8, encodeUtf8, utf8ByteOffset } from './utf8.js';

/** A decoded JSON value; integers outside ±(2^53-1) are bigints, so nothing is rounded. */
export type JsonValue =
  null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An open container on the parser's explicit stack (no recursion, so depth cannot overflow the JS stack). */
interface Frame {
  node: DisplayNode;
  /** Key waiting for its value (objects only). */
  pendingKey: string | undefined;
}

class JsonParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly byteBase: number,
  ) {}

  fail(reason: string, at: number = this.i): never {
    throw new PayloadError('json', reason, this.byteBase + utf8ByteOffset(this.s, at));
  }

  private skipWs(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  private describe(at: number): string {
    if (at >= this.s.length) return 'end of input';
    const cp = this.s.codePointAt(at) as number;
    return cp < 0x20
      ? `control character U+${cp.toString(16).padStart(4, '0')}`
      : `'${String.fromCodePoint(cp)}'`;
  }

  private string(): string {
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    let out = '';
    let run = i;
    for (;;) {
      if (i >= s.length) this.fail('unterminated string', start);
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        out += s.slice(run, i);
        this.i = i + 1;
        return out;
      }
      if (c < 0x20) this.fail(`${this.describe(i)} inside a string (must be escaped)`, i);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(run, i);
      const e = s[i + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u escape needs four hex digits', i);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          this.fail(e === undefined ? 'unterminated string' : `invalid escape '\\${e}'`, i);
      }
      i += 2;
      run = i;
    }
  }

  private number(): DisplayNode {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m || m[0] === '-') this.fail(`invalid number`, this.i);
    const text = m[0];
    const after = this.s.charCodeAt(this.i + text.length);
    // Digits, '.', 'e' right after a full match mean a malformed number such as 01 or 1.e5.
    if ((after >= 0x30 && after <= 0x39) || after === 0x2e || after === 0x65 || after === 0x45) {
      this.fail(`invalid number '${text}${this.s[this.i + text.length]}'`, this.i);
    }
    this.i += text.length;
    if (m[1] === undefined && m[2] === undefined && text.length > 15) {
      const big = BigInt(text);
      if (big > MAX_SAFE || big < -MAX_SAFE) return { type: 'bigint', value: text };
    }
    const n = Number(text);
    return { type: 'number', value: Number.isFinite(n) ? n : text };
  }

  private literal(word: string, node: DisplayNode): DisplayNode {
    if (!this.s.startsWith(word, this.i)) this.fail(`unexpected ${this.describe(this.i)}`);
    this.i += word.length;
    return node;
  }

  /** A scalar, or the opening of a container (pushed by the caller). */
  private valueStart(): DisplayNode {
    const c = this.s[this.i];
    switch (c) {
      case '{':
        this.i++;
        return { type: 'object', children: [] };
      case '[':
        this.i++;
        return { type: 'array', children: [] };
      case '"':
        return { type: 'string', value: this.string() };
      case 't':
        return this.literal('true', { type: 'boolean', value: true });
      case 'f':
        return this.literal('false', { type: 'boolean', value: false });
      case 'n':
        return this.literal('null', { type: 'null', value: null });
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(`unexpected ${this.describe(this.i)}, expected a value`);
    }
  }

  parse(): DisplayNode {
    this.skipWs();
    if (this.i >= this.s.length) this.fail('empty document');
    const stack: Frame[] = [];
    let root: DisplayNode | undefined;
    let node = this.valueStart();
    for (;;) {
      // Attach the value just read; a container (the only nodes with children) is also opened.
      let justOpened = false;
      if (node.children !== undefined) {
        const parent = stack[stack.length - 1];
        if (parent) this.attach(parent, node);
        else root = node;
        if (stack.length >= MAX_NESTING_DEPTH)
          this.fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, this.i - 1);
        stack.push({ node, pendingKey: undefined });
        justOpened = true;
      } else {
        const parent = stack[stack.length - 1];
        if (!parent) {
          root = node;
          break;
        }
        this.attach(parent, node);
      }
      // Find the next value, closing containers as they end.
      let next: DisplayNode | undefined;
      let first = justOpened;
      while (next === undefined) {
        const top = stack[stack.length - 1];
        if (!top) break;
        this.skipWs();
        const close = top.node.type === 'object' ? '}' : ']';
        const c = this.s[this.i];
        if (c === close) {
          this.i++;
          stack.pop();
          first = false;
          continue;
        }
        if (!first) {
          if (c !== ',') {
            this.fail(`unexpected ${this.describe(this.i)}, expected ',' or '${close}'`);
          }
          this.i++;
          this.skipWs();
        }
        first = false;
        if (top.node.type === 'object') {
          if (this.s[this.i] !== '"')
            this.fail(`unexpected ${this.describe(this.i)}, expected a member name`);
          top.pendingKey = this.string();
          this.skipWs();
          if (this.s[this.i] !== ':') this.fail(`unexpected ${this.describe(this.i)}, expected ':'`);
          this.i++;
          this.skipWs();
        }
        next = this.valueStart();
      }
      if (next === undefined) break;
      node = next;
    }
    this.skipWs();
    if (this.i < this.s.length)
      this.fail(`unexpected ${this.describe(this.i)} after the end of the document`);
    return root as DisplayNode;
  }

  private attach(parent: Frame, child: DisplayNode): void {
    if (parent.node.type === 'object') {
      child.key = parent.pendingKey as string;
      parent.pendingKey = undefined;
    }
    (parent.node.children as DisplayNode[]).push(child);
  }
}

function stripBom(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * Parses a JSON payload into a display tree: duplicate keys kept in order, integers beyond
 * 2^53 as `bigint` nodes with their exact digits. Throws {@link PayloadError} with the byte
 * offset of the problem. A leading UTF-8 byte-order mark is skipped.
 */
export function parseJsonTree(bytes: Uint8Array): DisplayNode {
  const skip = stripBom(bytes);
  const text = decodeUtf8(bytes.subarray(skip), 'json', skip, 'JSON text');
  return new JsonParser(text, skip).parse();
}

/** Converts a tree from {@link parseJsonTree} to a value; a repeated key keeps its first value. */
export function jsonTreeToValue(node: DisplayNode): JsonValue {
  switch (node.type) {
    case 'object': {
      const obj: { [key: string]: JsonValue } = {};
      for (const child of node.children ?? []) {
        const key = child.key ?? '';
        if (!Object.hasOwn(obj, key)) addFirstMember(obj, key, jsonTreeToValue(child));
      }
      return obj;
    }
    case 'array':
      return (node.children ?? []).map(jsonTreeToValue);
    case 'bigint':
      return BigInt(node.value as string);
    case 'number':
      return typeof node.value === 'number' ? node.value : Number(node.value);
    case 'string':
    case 'boolean':
      return node.value as string | boolean;
    default:
      return null;
  }
}

/** Decodes a JSON payload to a value (see {@link JsonValue}); throws {@link PayloadError}. */
export function decodeJson(bytes: Uint8Array): JsonValue {
  return jsonTreeToValue(parseJsonTree(bytes));
}

function write(v: unknown, out: string[], path: string, depth: number): void {
  if (depth > MAX_NESTING_DEPTH)
    throw new PayloadError('json', `value nested deeper than ${MAX_NESTING_DEPTH} levels at ${path || '/'}`);
  if (v === null) out.push('null');
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PayloadError('json', `${v} has no JSON form (at ${path || '/'})`);
    out.push(String(v));
  } else if (typeof v === 'bigint') out.push(v.toString());
  else if (typeof v === 'string') out.push(JSON.stringify(v));
  else if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new PayloadError('json', `invalid Date at ${path || '/'}`);
    out.push(JSON.stringify(v.toISOString()));
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      write(item === undefined ? null : item, out, `${path}/${i}`, depth + 1);
    });
    out.push(']');
  } else if (typeof v === 'object' && isPlainObject(v)) {
    out.push('{');
    let first = true;
    for (const [k, item] of Object.entries(v)) {
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(item, out, `${path}/${k}`, depth + 1);
    }
    out.push('}');
  } else {
    throw new PayloadError('json', `cannot encode ${describeType(v)} as JSON (at ${path || '/'})`);
  }
}

/**
 * Encodes a value as compact UTF-8 JSON: bigints as exact integers, Dates as ISO strings,
 * `undefined` members skipped. Throws {@link PayloadError} for non-finite numbers and
 * values JSON cannot hold (functions, class instances, typed arrays).
 */
export function encodeJson(value: unknown): Uint8Array {
  const out: string[] = [];
  write(value, out, '', 0);
  return encodeUtf8(out.join(''));
}
