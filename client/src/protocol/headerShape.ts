/**
 * The repeated-shape fast path of header decoding (spec §3.4). A stream of deliveries repeats
 * the same keys in the same order with the same punctuation; only the values change. After a
 * header has been decoded by the general scanner, its shape is remembered as the exact bytes
 * between its values (`{"c":"`, `","t":"`, `","s":`, ... `}`). A later header is decoded by
 * matching those bytes and scanning only the values; on any difference (another key, an
 * escape, a non-ASCII byte, a malformed value, the end of the input) it gives up and the
 * general scanner decodes the header from the start, so results and errors are unchanged.
 */
import type { FieldName, HeaderFields } from './fields.js';
import { INTERN_MAX, asciiText, internAscii, internable } from './headerIntern.js';
import { setField } from './headerSet.js';
import { NULL, QUOTE, SCALAR_BYTE, STRING_BYTE, latin1, scalarKind } from './headerScan.js';

/** A remembered header shape. */
interface Shape {
  pairs: number;
  /** Bytes before each value (opening quote included), then the bytes after the last one. */
  template: Uint8Array;
  /** Offsets into `template`: part `p` is `template[at[p], at[p + 1])`; `pairs + 1` parts. */
  at: Int32Array;
  names: FieldName[];
  /** 1 where the value is a quoted string, 0 where it is a bare token. */
  quoted: Uint8Array;
  /** 1 where the value is interned when short. */
  intern: Uint8Array;
  /** The last value of each interned pair: a repeat is recognised by comparing bytes alone. */
  last: string[];
}

/** Shapes remembered at once (deliveries, acks and SOW records interleave). */
const SHAPES = 4;
const shapes: (Shape | undefined)[] = new Array<Shape | undefined>(SHAPES).fill(undefined);
/** Slot tried first: the one that matched last. */
let lastHit = 0;
/** Slot the next new shape replaces. */
let nextSlot = 0;
/** Headers with more pairs than this are not remembered. */
const MAX_PAIRS = 32;

/** A decoded header: the same object shape as the general decoder returns. */
interface Decoded {
  fields: HeaderFields;
  end: number;
}

/**
 * Decodes the header at `start` by a remembered shape, or returns undefined when none matches
 * exactly (the caller then runs the general scanner).
 */
export function decodeByShape(buf: Buffer, start: number, limit: number): Decoded | undefined {
  const first = shapes[lastHit];
  if (first === undefined) return undefined;
  const hit = decodeWith(first, buf, start, limit);
  if (hit !== undefined) return hit;
  for (let s = 0; s < SHAPES; s++) {
    const shape = shapes[s];
    if (s === lastHit || shape === undefined) continue;
    const d = decodeWith(shape, buf, start, limit);
    if (d !== undefined) {
      lastHit = s;
      return d;
    }
  }
  return undefined;
}

function decodeWith(shape: Shape, buf: Buffer, start: number, limit: number): Decoded | undefined {
  const { template, at, names, quoted, intern, last, pairs } = shape;
  let fields: HeaderFields | undefined;
  let i = start;
  for (let p = 0; ; p++) {
    // The bytes up to this value (or, after the last value, up to and with the closing brace).
    const ts = at[p] as number;
    const n = (at[p + 1] as number) - ts;
    if (i + n > limit) return undefined;
    for (let k = 0; k < n; k++) if (buf[i + k] !== template[ts + k]) return undefined;
    i += n;
    if (p === pairs) break;
    const vs = i;
    let value: string;
    if (quoted[p] === 1) {
      while (i < limit && STRING_BYTE[buf[i] as number] === 0) i++;
      if (i >= limit || buf[i] !== QUOTE) return undefined;
      if (intern[p] === 1) {
        // Deliveries of one subscription repeat the topic, sub id, command id: compare the
        // bytes with this pair's last value before building or looking up a string.
        const seen = last[p] as string;
        const length = i - vs;
        let k = seen.length === length ? 0 : -1;
        if (k === 0) while (k < length && seen.charCodeAt(k) === buf[vs + k]) k++;
        value = k === length ? seen : (last[p] = text(buf, vs, i, true));
      } else value = text(buf, vs, i, false);
      i++;
    } else {
      while (i < limit && SCALAR_BYTE[buf[i] as number] === 1) i++;
      if (i === vs) return undefined;
      const kind = scalarKind(buf, vs, i);
      if (kind < 0) return undefined;
      value = kind === NULL ? '' : text(buf, vs, i, intern[p] === 1);
    }
    setField((fields ??= {}), names[p] as FieldName, value);
  }
  return { fields: fields ?? {}, end: i };
}

/** The plain ASCII value `buf[s, e)`: interned, built in JavaScript when short, else sliced. */
function text(buf: Buffer, s: number, e: number, intern: boolean): string {
  const n = e - s;
  if (n > INTERN_MAX) return latin1(buf, s, e);
  return intern ? internAscii(buf, s, e) : asciiText(buf, s, e);
}

/**
 * Remembers the shape of a header the general scanner has just decoded.
 * @param table the scanner's table, `stride` entries per pair, entries 2 and 3 of which are the
 *   start and end of the pair's value (inside the quotes for a quoted value)
 * @param names the field of each pair (every key must be a known field)
 * @param end offset after the closing brace
 */
export function rememberShape(
  buf: Buffer,
  start: number,
  end: number,
  pairs: number,
  table: Int32Array,
  stride: number,
  names: readonly FieldName[],
): void {
  if (pairs === 0 || pairs > MAX_PAIRS) return;
  const at = new Int32Array(pairs + 2);
  const quoted = new Uint8Array(pairs);
  const intern = new Uint8Array(pairs);
  const parts: Uint8Array[] = [];
  let prev = start;
  let length = 0;
  for (let p = 0; p < pairs; p++) {
    const vs = table[p * stride + 2] as number;
    const ve = table[p * stride + 3] as number;
    const q = vs > start && buf[vs - 1] === QUOTE ? 1 : 0;
    quoted[p] = q;
    intern[p] = internable(names[p] as FieldName) ? 1 : 0;
    at[p] = length;
    parts.push(buf.subarray(prev, vs));
    length += vs - prev;
    prev = ve + q;
  }
  at[pairs] = length;
  parts.push(buf.subarray(prev, end));
  length += end - prev;
  at[pairs + 1] = length;
  const shape: Shape = {
    pairs,
    template: Buffer.concat(parts, length),
    at,
    names: names.slice(0, pairs),
    quoted,
    intern,
    last: new Array<string>(pairs).fill(''),
  };
  shapes[nextSlot] = shape;
  lastHit = nextSlot;
  nextSlot = (nextSlot + 1) % SHAPES;
}

/** Forgets every remembered shape (for tests comparing the fast path with the general scanner). */
export function forgetShapes(): void {
  shapes.fill(undefined);
  lastHit = 0;
  nextSlot = 0;
}
