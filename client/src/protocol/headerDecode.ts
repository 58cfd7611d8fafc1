/**
 * Header decoding (spec §1.3, §3.4): reads the flat JSON object at the start of a frame
 * tolerantly (every alias, whitespace, numbers quoted or bare, full JSON escapes), keeping
 * every value as text.
 *
 * Hot path: keys are matched on their bytes (no key strings), the structure is scanned once
 * into a scratch table of offsets, and the header is turned into text by one latin1 slice
 * whose substrings become the values. Only escaped or non-ASCII strings take a slower,
 * strict UTF-8 / JSON decode.
 */
import { FIELD_BY_KEY, type FieldName, type HeaderFields } from './fields.js';
import { fieldOfKeyBytes } from './headerKeys.js';
import { setField } from './headerSet.js';
import { ProtocolError } from './protocolError.js';

/** A decoded header and the offset of the first byte after its closing brace. */
export interface DecodedHeader {
  fields: HeaderFields;
  /** Offset of the payload (the byte after `}`), relative to the buffer passed in. */
  end: number;
  /** Keys that are not part of the AMPS header table, kept for display. */
  unknown?: Record<string, string>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Value kinds in the scratch table. */
const SLICE = 0; // ASCII without escapes (or a valid bare scalar): a substring of the header text
const DECODED = 1; // escaped or non-ASCII string: decoded already, in `scratchValue`
const NULL = 2; // bare `null`: the empty string

/** Scratch entries per pair: key start, key end, value start, value end, value kind. */
const STRIDE = 5;
let scratch = new Int32Array(STRIDE * 32);
const scratchName: (FieldName | undefined)[] = [];
/** Key text of pairs whose key is escaped or non-ASCII. */
const scratchKey: (string | undefined)[] = [];
/** Decoded value of pairs of kind DECODED. */
const scratchValue: (string | undefined)[] = [];

/** Buffer's own latin1 slicer (what `toString('latin1', ...)` calls after checking its arguments). */
interface Latin1Slicing {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as Partial<Latin1Slicing>).latin1Slice === 'function';

/** `buf[start, end)` as latin1 text (the header is plain ASCII wherever this text is used). */
function latin1(buf: Buffer, start: number, end: number): string {
  return HAS_LATIN1_SLICE
    ? (buf as unknown as Latin1Slicing).latin1Slice(start, end)
    : buf.toString('latin1', start, end);
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

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
  let i = skipSpace(buf, start, limit);
  if (buf[i] !== OPEN) throw new ProtocolError('header does not start with "{"', 'bad-header', i);
  i = skipSpace(buf, i + 1, limit);
  if (buf[i] === CLOSE) return { fields: {}, end: i + 1 };
  let pairs = 0;
  for (;;) {
    if (buf[i] !== QUOTE) throw new ProtocolError('expected a quoted header key', 'bad-header', i);
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
    if (buf[i] !== COLON) {
      const shown = keyText ?? buf.toString('latin1', keyStart, keyEnd);
      throw new ProtocolError(`expected ":" after header key "${shown}"`, 'bad-header', i);
    }
    i = skipSpace(buf, i + 1, limit);
    let kind: number;
    let valueStart: number;
    let valueEnd: number;
    let decoded: string | undefined;
    if (buf[i] === QUOTE) {
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
    const b = buf[i];
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
  for (let p = 0; p < pairs; p++) {
    const at = p * STRIDE;
    const kind = scratch[at + 4];
    let value: string;
    if (kind === SLICE) {
      const vs = scratch[at + 2] as number;
      const ve = scratch[at + 3] as number;
      if (ve - vs <= SHORT) value = shortAscii(buf, vs, ve);
      else value = (text ??= latin1(buf, start, end)).slice(vs - start, ve - start);
    } else value = kind === NULL ? '' : (scratchValue[p] as string);
    const name = scratchName[p];
    if (name !== undefined) {
      setField(fields, name, value);
    } else {
      const key = scratchKey[p] ?? latin1(buf, scratch[at] as number, scratch[at + 1] as number);
      (unknown ??= {})[key] = value;
    }
    scratchKey[p] = undefined;
    scratchValue[p] = undefined;
  }
  return unknown ? { fields, end, unknown } : { fields, end };
}

/** Values up to this many bytes are built in JavaScript (cheaper than a call into Buffer's slicer). */
const SHORT = 12;

/** The ASCII text `buf[s, e)` of at most {@link SHORT} bytes. */
function shortAscii(buf: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(buf[s] as number);
    case 2:
      return String.fromCharCode(buf[s] as number, buf[s + 1] as number);
    case 3:
      return String.fromCharCode(buf[s] as number, buf[s + 1] as number, buf[s + 2] as number);
    case 4:
      return String.fromCharCode(
        buf[s] as number,
        buf[s + 1] as number,
        buf[s + 2] as number,
        buf[s + 3] as number,
      );
    default: {
      const args = CHAR_ARGS[e - s] as number[];
      for (let i = 0; i < args.length; i++) args[i] = buf[s + i] as number;
      return String.fromCharCode.apply(null, args);
    }
  }
}

/** Reused argument lists of String.fromCharCode, one per length up to {@link SHORT}. */
const CHAR_ARGS: number[][] = Array.from({ length: SHORT + 1 }, (_, n) => new Array<number>(n).fill(0));

/** 1 for the bytes a bare token may hold: digits, sign, dot, exponent and lowercase letters (true/false/null). */
const SCALAR_BYTE = new Uint8Array(256);
/** 0 for bytes that go into a plain string as they are; 1 for quote, backslash, control and non-ASCII bytes. */
const STRING_BYTE = new Uint8Array(256);
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

function isScalarByte(b: number): boolean {
  return SCALAR_BYTE[b] === 1;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Kind of the bare token `buf[s, e)`: SLICE for a JSON number, true or false, NULL for null, -1 otherwise. */
function scalarKind(buf: Buffer, s: number, e: number): number {
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
