/**
 * Header decoding (spec §1.3, §3.4): reads the flat JSON object at the start of a frame
 * tolerantly (every alias, whitespace, numbers quoted or bare, full JSON escapes), keeping
 * every value as text.
 *
 * Hot path: a header with the same keys, order and punctuation as a recent one is decoded by
 * headerShape.ts, which checks those bytes and scans only the values. Otherwise keys are matched
 * on their bytes (no key strings), the structure is scanned once into a scratch table of
 * offsets, and the values are built from it: short ones in JavaScript (repeated ones interned,
 * headerIntern.ts), long ones as substrings of one latin1 slice of the header. Only escaped or
 * non-ASCII strings take a slower, strict UTF-8 / JSON decode. A header with only known keys
 * and plain values leaves its shape for the fast path.
 */
import { FIELD_BY_KEY, type FieldName, type HeaderFields } from './fields.js';
import { INTERN_MAX, asciiText, internAscii, internable } from './headerIntern.js';
import { fieldOfKeyBytes } from './headerKeys.js';
import {
  BACKSLASH,
  DECODED,
  NULL,
  QUOTE,
  SCALAR_BYTE,
  SLICE,
  STRING_BYTE,
  latin1,
  scalarKind,
} from './headerScan.js';
import { setField } from './headerSet.js';
import { decodeByShape, rememberShape } from './headerShape.js';
import { ProtocolError } from './protocolError.js';

/** A decoded header and the offset of the first byte after its closing brace. */
export interface DecodedHeader {
  fields: HeaderFields;
  /** Offset of the payload (the byte after `}`), relative to the buffer passed in. */
  end: number;
  /** Keys that are not part of the AMPS header table, kept for display. */
  unknown?: Record<string, string>;
}

const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Scratch entries per pair: key start, key end, value start, value end, value kind. */
const STRIDE = 5;
let scratch = new Int32Array(STRIDE * 32);
const scratchName: (FieldName | undefined)[] = [];
/** Key text of pairs whose key is escaped or non-ASCII. */
const scratchKey: (string | undefined)[] = [];
/** Decoded value of pairs of kind DECODED. */
const scratchValue: (string | undefined)[] = [];

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** The byte at `i`, or -1 at or past `limit` (bytes past the limit are not part of the header). */
function byteAt(buf: Buffer, i: number, limit: number): number {
  return i < limit ? (buf[i] as number) : -1;
}

function skipSpace(buf: Buffer, i: number, limit: number): number {
  while (i < limit && isSpace(buf[i] as number)) i++;
  return i;
}

/**
 * Decodes the header object that starts at `start` in `bytes`.
 * @throws ProtocolError naming the offending byte when the header is not a flat JSON object.
 */
export function decodeHeader(bytes: Uint8Array, start = 0, limit = bytes.length): DecodedHeader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const repeated = decodeByShape(buf, start, limit);
  if (repeated !== undefined) return repeated;
  let i = skipSpace(buf, start, limit);
  if (byteAt(buf, i, limit) !== OPEN)
    throw new ProtocolError('header does not start with "{"', 'bad-header', i);
  i = skipSpace(buf, i + 1, limit);
  if (byteAt(buf, i, limit) === CLOSE) return { fields: {}, end: i + 1 };
  let pairs = 0;
  for (;;) {
    if (byteAt(buf, i, limit) !== QUOTE)
      throw new ProtocolError('expected a quoted header key', 'bad-header', i);
    const keyStart = i + 1;
    const k = scanString(buf, i, limit);
    let keyEnd: number;
    let name: FieldName | undefined;
    let keyText: string | undefined;
    if (k >= 0) {
      keyEnd = k;
      name = fieldOfKeyBytes(buf, keyStart, keyEnd);
    } else {
      keyEnd = -k - 1;
      keyText = decodeString(buf, i, keyEnd);
      name = FIELD_BY_KEY.get(keyText);
    }
    i = skipSpace(buf, keyEnd + 1, limit);
    if (byteAt(buf, i, limit) !== COLON) {
      const shown = keyText ?? buf.toString('latin1', keyStart, keyEnd);
      throw new ProtocolError(`expected ":" after header key "${shown}"`, 'bad-header', i);
    }
    i = skipSpace(buf, i + 1, limit);
    let kind: number;
    let valueStart: number;
    let valueEnd: number;
    let decoded: string | undefined;
    if (byteAt(buf, i, limit) === QUOTE) {
      const v = scanString(buf, i, limit);
      if (v >= 0) {
        kind = SLICE;
        valueStart = i + 1;
        valueEnd = v;
      } else {
        kind = DECODED;
        valueStart = i + 1;
        valueEnd = -v - 1;
        decoded = decodeString(buf, i, valueEnd);
      }
      i = valueEnd + 1;
    } else {
      valueStart = i;
      while (i < limit && isScalarByte(buf[i] as number)) i++;
      valueEnd = i;
      if (i === valueStart) {
        throw new ProtocolError(
          `header value for "${keyText ?? buf.toString('latin1', keyStart, keyEnd)}" is not a string, number or literal`,
          'bad-header',
          i,
        );
      }
      kind = scalarKind(buf, valueStart, valueEnd);
      if (kind < 0) {
        const value = buf.toString('latin1', valueStart, valueEnd);
        throw new ProtocolError(
          `header value for "${keyText ?? buf.toString('latin1', keyStart, keyEnd)}" is not valid JSON: ${value}`,
          'bad-header',
          valueStart,
        );
      }
    }
    const at = pairs * STRIDE;
    if (at + STRIDE > scratch.length) {
      const bigger = new Int32Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    scratch[at] = keyStart;
    scratch[at + 1] = keyEnd;
    scratch[at + 2] = valueStart;
    scratch[at + 3] = valueEnd;
    scratch[at + 4] = kind;
    scratchName[pairs] = name;
    scratchKey[pairs] = keyText;
    scratchValue[pairs] = decoded;
    pairs++;
    i = skipSpace(buf, i, limit);
    const b = byteAt(buf, i, limit);
    if (b === COMMA) {
      i = skipSpace(buf, i + 1, limit);
      continue;
    }
    if (b === CLOSE) break;
    if (i >= limit) throw new ProtocolError('header ends before its closing "}"', 'bad-header', i);
    throw new ProtocolError('expected "," or "}" in header', 'bad-header', i);
  }
  const end = i + 1;
  return build(buf, start, end, pairs);
}

/** Turns the scanned pairs into the decoded header (later duplicates win, as before). */
function build(buf: Buffer, start: number, end: number, pairs: number): DecodedHeader {
  let text: string | undefined;
  const fields: HeaderFields = {};
  let unknown: Record<string, string> | undefined;
  let remember = true;
  for (let p = 0; p < pairs; p++) {
    const at = p * STRIDE;
    const kind = scratch[at + 4];
    const name = scratchName[p];
    let value: string;
    if (kind === SLICE) {
      const vs = scratch[at + 2] as number;
      const ve = scratch[at + 3] as number;
      if (ve - vs <= INTERN_MAX && name !== undefined && internable(name)) value = internAscii(buf, vs, ve);
      else if (ve - vs <= INTERN_MAX) value = asciiText(buf, vs, ve);
      else value = (text ??= latin1(buf, start, end)).slice(vs - start, ve - start);
    } else if (kind === NULL) value = '';
    else {
      value = scratchValue[p] as string;
      remember = false;
    }
    if (name !== undefined) {
      setField(fields, name, value);
    } else {
      const key = scratchKey[p] ?? latin1(buf, scratch[at] as number, scratch[at + 1] as number);
      (unknown ??= {})[key] = value;
      remember = false;
    }
    scratchKey[p] = undefined;
    scratchValue[p] = undefined;
  }
  if (remember) rememberShape(buf, start, end, pairs, scratch, STRIDE, scratchName as FieldName[]);
  if (unknown) return { fields, end, unknown };
  return { fields, end };
}

function isScalarByte(b: number): boolean {
  return SCALAR_BYTE[b] === 1;
}

/**
 * Scans the JSON string whose opening quote is at `i`. Returns the offset of its closing
 * quote when the string is plain ASCII without escapes, or `-(offset) - 1` when it needs
 * {@link decodeString}.
 */
function scanString(buf: Buffer, i: number, limit: number): number {
  let j = i + 1;
  let plain = true;
  // Skip ordinary bytes four at a time; the byte loop below sorts out the rest.
  while (
    j + 3 < limit &&
    ((STRING_BYTE[buf[j] as number] as number) |
      (STRING_BYTE[buf[j + 1] as number] as number) |
      (STRING_BYTE[buf[j + 2] as number] as number) |
      (STRING_BYTE[buf[j + 3] as number] as number)) ===
      0
  )
    j += 4;
  while (j < limit) {
    const b = buf[j] as number;
    // One table load per ordinary byte; the rare ones are told apart below.
    if (STRING_BYTE[b] === 0) {
      j++;
      continue;
    }
    if (b === QUOTE) break;
    if (b === BACKSLASH) {
      plain = false;
      j += 2;
      continue;
    }
    if (b < 0x20) throw new ProtocolError('control character inside a header string', 'bad-header', j);
    plain = false; // non-ASCII
    j++;
  }
  if (j >= limit) throw new ProtocolError('unterminated string in header', 'bad-header', i);
  return plain ? j : -j - 1;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Strictly decodes the escaped or non-ASCII string between the quotes at `open` and `close`. */
function decodeString(buf: Buffer, open: number, close: number): string {
  let escaped = false;
  for (let j = open + 1; j < close && !escaped; j++) escaped = buf[j] === BACKSLASH;
  try {
    return escaped
      ? (JSON.parse(decoder.decode(buf.subarray(open, close + 1))) as string)
      : decoder.decode(buf.subarray(open + 1, close));
  } catch {
    throw new ProtocolError('invalid string in header', 'bad-header', open);
  }
}
