/**
 * Header codec (spec §1.3, §1.4, §3): reads the flat JSON object at the start of a frame
 * tolerantly (every alias, whitespace, numbers quoted or bare, full JSON escapes) keeping
 * every value as text, and writes compact JSON with `c` first.
 */
import { FIELD_BY_KEY, FIELDS, FIELD_NAMES, type FieldName, type HeaderFields } from './fields.js';
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

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Decodes the header object that starts at `start` in `buf`.
 * @throws ProtocolError naming the offending byte when the header is not a flat JSON object.
 */
export function decodeHeader(bytes: Uint8Array, start = 0, limit = bytes.length): DecodedHeader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const fields: HeaderFields = {};
  let unknown: Record<string, string> | undefined;
  let i = skipSpace(buf, start, limit);
  if (buf[i] !== OPEN) throw new ProtocolError('header does not start with "{"', 'bad-header', i);
  i = skipSpace(buf, i + 1, limit);
  if (buf[i] === CLOSE) return { fields, end: i + 1 };
  for (;;) {
    if (buf[i] !== QUOTE) throw new ProtocolError('expected a quoted header key', 'bad-header', i);
    const key = readString(buf, i, limit);
    i = skipSpace(buf, key.next, limit);
    if (buf[i] !== COLON)
      throw new ProtocolError(`expected ":" after header key "${key.text}"`, 'bad-header', i);
    i = skipSpace(buf, i + 1, limit);
    let value: string;
    if (buf[i] === QUOTE) {
      const str = readString(buf, i, limit);
      value = str.text;
      i = str.next;
    } else {
      const tokenStart = i;
      while (i < limit && isScalarByte(buf[i] as number)) i++;
      if (i === tokenStart) {
        throw new ProtocolError(
          `header value for "${key.text}" is not a string, number or literal`,
          'bad-header',
          i,
        );
      }
      value = buf.toString('latin1', tokenStart, i);
      if (!isJsonScalar(value)) {
        throw new ProtocolError(
          `header value for "${key.text}" is not valid JSON: ${value}`,
          'bad-header',
          tokenStart,
        );
      }
      if (value === 'null') value = '';
    }
    const name = FIELD_BY_KEY.get(key.text);
    if (name !== undefined) {
      fields[name] = name === 'command' && value === 'p' ? 'publish' : value;
    } else {
      (unknown ??= {})[key.text] = value;
    }
    i = skipSpace(buf, i, limit);
    const b = buf[i];
    if (b === COMMA) {
      i = skipSpace(buf, i + 1, limit);
      continue;
    }
    if (b === CLOSE) return unknown ? { fields, end: i + 1, unknown } : { fields, end: i + 1 };
    if (i >= limit) throw new ProtocolError('header ends before its closing "}"', 'bad-header', i);
    throw new ProtocolError('expected "," or "}" in header', 'bad-header', i);
  }
}

function skipSpace(buf: Buffer, i: number, limit: number): number {
  while (i < limit && isSpace(buf[i] as number)) i++;
  return i;
}

function isScalarByte(b: number): boolean {
  // digits, sign, dot, exponent and the letters of true/false/null
  return (
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2b ||
    b === 0x2e ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x45
  );
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
function isJsonScalar(text: string): boolean {
  return text === 'true' || text === 'false' || text === 'null' || NUMBER.test(text);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON string whose opening quote is at `i`. Plain ASCII without escapes (nearly every
 * header value) is sliced directly; anything else goes through a strict UTF-8 / JSON decode.
 */
function readString(buf: Buffer, i: number, limit: number): { text: string; next: number } {
  const start = i + 1;
  let j = start;
  let escaped = false;
  let high = 0;
  while (j < limit) {
    const b = buf[j] as number;
    if (b === QUOTE) break;
    if (b === BACKSLASH) {
      escaped = true;
      j += 2;
      continue;
    }
    if (b < 0x20) throw new ProtocolError('control character inside a header string', 'bad-header', j);
    high |= b;
    j++;
  }
  if (j >= limit) throw new ProtocolError('unterminated string in header', 'bad-header', start - 1);
  if (!escaped && high < 0x80) return { text: buf.toString('latin1', start, j), next: j + 1 };
  let text: string;
  try {
    text = escaped
      ? (JSON.parse(decoder.decode(buf.subarray(start - 1, j + 1))) as string)
      : decoder.decode(buf.subarray(start, j));
  } catch {
    throw new ProtocolError('invalid string in header', 'bad-header', start - 1);
  }
  return { text, next: j + 1 };
}

/** Who is writing: clients and servers use different keys and number rules (spec §1.4, §3.1). */
export type HeaderDialect = 'client' | 'server';

const SERVER_ORDER: readonly FieldName[] = [
  'command',
  'topic',
  'commandId',
  'ackType',
  'status',
  'sequence',
  'clientName',
  'version',
  'userId',
  'password',
  'subId',
  'queryId',
  'subIds',
  'bookmark',
  'correlationId',
  'sowKey',
  'reason',
  'timestamp',
  'leasePeriod',
  'batchSize',
  'length',
  'matches',
  'topicMatches',
  'recordsReturned',
  'recordsDeleted',
  'recordsInserted',
  'recordsUpdated',
  'groupSequence',
  'options',
];

/** Fields a client never writes: server-only statistics and display-only keys. */
const CLIENT_ORDER: readonly FieldName[] = FIELD_NAMES.filter((n) => n !== 'skipN');

const DIGITS = /^\d+$/;
/** Text that needs no JSON escaping (no quote, backslash, control or non-ASCII character). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

interface EncodeOptions {
  /** Write `publish` as `p` (the official clients do on stream transports). Default true. */
  shortPublish?: boolean;
}

/**
 * Encodes a header as compact JSON with `c` first and the other fields in a fixed order.
 * Only fields present in `fields` are written; `undefined` values are skipped.
 */
export function encodeHeader(
  fields: HeaderFields,
  dialect: HeaderDialect = 'client',
  options: EncodeOptions = {},
): string {
  const order = dialect === 'client' ? CLIENT_ORDER : SERVER_ORDER;
  const shortPublish = options.shortPublish ?? true;
  let out = '{';
  let first = true;
  // Start of the previous and of the last field written, to keep `s` from being last.
  let previous = -1;
  let last = -1;
  let lastName: FieldName | undefined;
  for (const name of order) {
    let value = fields[name];
    if (value === undefined) continue;
    const spec = FIELDS[name];
    if (name === 'command' && shortPublish && value === 'publish') value = 'p';
    const key = dialect === 'client' ? spec.client : spec.server;
    const numeric = dialect === 'client' ? spec.clientNumber : spec.serverNumber;
    previous = last;
    last = out.length;
    lastName = name;
    out += (first ? '"' : ',"') + key + '":';
    out +=
      numeric && DIGITS.test(value) ? value : PLAIN.test(value) ? '"' + value + '"' : JSON.stringify(value);
    first = false;
  }
  if (dialect === 'server' && lastName === 'sequence' && previous > 1) {
    // The JavaScript clients read `s` with a pattern that needs a comma after it (spec §1.4):
    // a server never writes it last, so it trades places with the field before it (never with `c`).
    out = out.slice(0, previous) + out.slice(last) + out.slice(previous, last);
  }
  return out + '}';
}
