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
import {
  INTERN_MAX,
  MEDIUM_MAX,
  asciiText,
  internAscii,
  internable,
  mediumAsciiText,
} from './headerIntern.js';
import { FIELD_CODE, setFieldCode } from './headerSet.js';
import { BACKSLASH, NULL, QUOTE, SCALAR_BYTE, SLICE, latin1, scalarKind } from './headerScan.js';

/** A remembered header shape. */
interface Shape {
  pairs: number;
  /** Bytes before each value (opening quote included), then the bytes after the last one. */
  template: Uint8Array;
  /** Offsets into `template`: part `p` is `template[at[p], at[p + 1])`; `pairs + 1` parts. */
  at: Int32Array;
  /** The code ({@link FIELD_CODE}) of each pair's field. */
  codes: Uint8Array;
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
  const { template, at, codes, quoted, intern, last, pairs } = shape;
  const scalar = SCALAR_BYTE;
  const fields: HeaderFields = {};
  let i = start;
  for (let p = 0; ; p++) {
    // The bytes up to this value (or, after the last value, up to and with the closing brace).
    let k = at[p] as number;
    const te = at[p + 1] as number;
    if (i + (te - k) > limit) return undefined;
    for (; k < te; k++, i++) if (buf[i] !== template[k]) return undefined;
    if (p === pairs) return { fields, end: i };
    const vs = i;
    let value: string;
    if (quoted[p] === 1) {
      if (intern[p] === 1) {
        // Deliveries of one subscription repeat the topic, sub id, command id: when the bytes
        // are this pair's last value (checked plain when it was built) and its closing quote,
        // that string is the value, in one pass.
        const seen = last[p] as string;
        const n = seen.length;
        if (vs + n < limit) {
          let m = 0;
          while (m < n && buf[vs + m] === seen.charCodeAt(m)) m++;
          if (m === n && buf[vs + n] === QUOTE) {
            i = vs + n + 1;
            setFieldCode(fields, codes[p] as number, seen);
            continue;
          }
        }
      }
      // Plain ASCII up to the closing quote; anything else (an escape, a control or non-ASCII
      // byte, the end of the input) is left to the general scanner.
      for (;;) {
        if (i >= limit) return undefined;
        const b = buf[i] as number;
        if (b === QUOTE) break;
        if (b < 0x20 || b >= 0x80 || b === BACKSLASH) return undefined;
        i++;
      }
      value = intern[p] === 1 ? (last[p] = text(buf, vs, i, true)) : text(buf, vs, i, false);
      i++;
    } else {
      // Sequence numbers and counts are all digits: those need no grammar check.
      let digitsOnly = true;
      for (;;) {
        if (i >= limit) break;
        const b = buf[i] as number;
        if (b >= 0x30 && b <= 0x39) i++;
        else if (scalar[b] === 1) {
          digitsOnly = false;
          i++;
        } else break;
      }
      if (i === vs) return undefined;
      const kind = digitsOnly ? SLICE : scalarKind(buf, vs, i);
      if (kind < 0) return undefined;
      value = kind === NULL ? '' : text(buf, vs, i, intern[p] === 1);
    }
    setFieldCode(fields, codes[p] as number, value);
  }
}

/** The plain ASCII value `buf[s, e)`: interned, built in JavaScript when short, else sliced. */
function text(buf: Buffer, s: number, e: number, intern: boolean): string {
  const n = e - s;
  if (n > INTERN_MAX) {
    return n <= MEDIUM_MAX && s + MEDIUM_MAX <= buf.length ? mediumAsciiText(buf, s, e) : latin1(buf, s, e);
  }
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
    codes: Uint8Array.from(names.slice(0, pairs), (name) => FIELD_CODE[name]),
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
