/**
 * Byte classes of the header scanner (spec §1.3, §3.4), shared by the general decoder
 * (headerDecode.ts) and the repeated-shape fast path (headerShape.ts).
 */

/** `"` */
export const QUOTE = 0x22;
/** `\` */
export const BACKSLASH = 0x5c;

/** Value kind: ASCII text without escapes, or a valid bare scalar, taken as it is. */
export const SLICE = 0;
/** Value kind: an escaped or non-ASCII string that was decoded. */
export const DECODED = 1;
/** Value kind: bare `null`, read as the empty string. */
export const NULL = 2;

/** 1 for the bytes a bare token may hold: digits, sign, dot, exponent and lowercase letters (true/false/null). */
export const SCALAR_BYTE = new Uint8Array(256);
/** 0 for bytes that go into a plain string as they are; 1 for quote, backslash, control and non-ASCII bytes. */
export const STRING_BYTE = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  SCALAR_BYTE[b] =
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2b ||
    b === 0x2e ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x45
      ? 1
      : 0;
  STRING_BYTE[b] = b < 0x20 || b >= 0x80 || b === QUOTE || b === BACKSLASH ? 1 : 0;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Kind of the bare token `buf[s, e)`: SLICE for a JSON number, true or false, NULL for null, -1 otherwise. */
export function scalarKind(buf: Uint8Array, s: number, e: number): number {
  const first = buf[s] as number;
  if (first >= 0x61) {
    const n = e - s;
    if (n === 4 && first === 0x6e && buf[s + 1] === 0x75 && buf[s + 2] === 0x6c && buf[s + 3] === 0x6c)
      return NULL;
    if (n === 4 && first === 0x74 && buf[s + 1] === 0x72 && buf[s + 2] === 0x75 && buf[s + 3] === 0x65)
      return SLICE;
    if (
      n === 5 &&
      first === 0x66 &&
      buf[s + 1] === 0x61 &&
      buf[s + 2] === 0x6c &&
      buf[s + 3] === 0x73 &&
      buf[s + 4] === 0x65
    )
      return SLICE;
    return -1;
  }
  // -?\d+(\.\d+)?([eE][+-]?\d+)?
  let i = s;
  if (buf[i] === 0x2d) i++;
  if (!isDigit(buf[i])) return -1;
  while (i < e && isDigit(buf[i])) i++;
  if (i < e && buf[i] === 0x2e) {
    i++;
    if (i >= e || !isDigit(buf[i])) return -1;
    while (i < e && isDigit(buf[i])) i++;
  }
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    if (i < e && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
    if (i >= e || !isDigit(buf[i])) return -1;
    while (i < e && isDigit(buf[i])) i++;
  }
  return i === e ? SLICE : -1;
}

/** Buffer's own latin1 slicer (what `toString('latin1', ...)` calls after checking its arguments). */
interface Latin1Slicing {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as Partial<Latin1Slicing>).latin1Slice === 'function';

/** `buf[start, end)` as latin1 text (used only where those bytes are plain ASCII). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return HAS_LATIN1_SLICE
    ? (buf as unknown as Latin1Slicing).latin1Slice(start, end)
    : buf.toString('latin1', start, end);
}
