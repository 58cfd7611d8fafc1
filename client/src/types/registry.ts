/**
 * The payload registry: decode any payload by message type into the display model of
 * `decoded.ts`, and encode values by message type for a publish composer.
 */
import { bflatToDisplay, valueToDisplay, xmlToDisplay } from './display.js';
import { decodeBFlatFields, encodeBFlat, encodeBFlatFields } from './bflat.js';
import type { BFlatField } from './bflat.js';
import { hexDump } from './binary.js';
import { decodeBson, encodeBson } from './bson.js';
import { CompositeMessageBuilder, CompositeMessageParser } from './composite.js';
import type { DecodedPayload } from './decoded.js';
import { SOH } from './fieldList.js';
import type { Separator } from './fieldList.js';
import { FixBuilder, FixShredder } from './fix.js';
import { encodeJson, parseJsonTree } from './json.js';
import { describeType } from './members.js';
import { decodeMsgPack, encodeMsgPack } from './msgpack.js';
import { NvfixBuilder, NvfixShredder } from './nvfix.js';
import { PayloadError } from './payloadError.js';
import { decodeUtf8Lenient, encodeUtf8, isValidUtf8 } from './utf8.js';
import { parseXml } from './xml.js';

/** Options of {@link decodePayload}. */
export interface DecodeOptions {
  /** Message types of the parts of a composite payload, in order (default: guess per part). */
  compositeParts?: readonly string[];
  /** FIX/NVFIX field separator (default SOH). */
  fieldSeparator?: Separator;
  /** Hex dumps show at most this many bytes (default 65536). */
  maxHexBytes?: number;
}

/** True for the composite message types (`composite-local`, `composite-global`, configured `composite...` names). */
export function isCompositeType(messageType: string): boolean {
  return messageType.trim().toLowerCase().startsWith('composite');
}

function guessPartType(bytes: Uint8Array): string {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b ? 'json' : b === 0x3c ? 'xml' : 'unknown';
  }
  return 'unknown';
}

function textOrHex(format: string, bytes: Uint8Array, options: DecodeOptions): DecodedPayload {
  if (isValidUtf8(bytes)) return { kind: 'text', format, text: decodeUtf8Lenient(bytes) };
  return { kind: 'hex', format, ...hexDump(bytes, { maxBytes: options.maxHexBytes }) };
}

function decodeStrict(
  type: string,
  format: string,
  bytes: Uint8Array,
  options: DecodeOptions,
): DecodedPayload {
  switch (type) {
    case 'json':
      return { kind: 'tree', format, root: parseJsonTree(bytes) };
    case 'xml':
      return { kind: 'tree', format, root: xmlToDisplay(parseXml(bytes)) };
    case 'msgpack':
      return { kind: 'tree', format, root: valueToDisplay(decodeMsgPack(bytes)) };
    case 'bson':
      return { kind: 'tree', format, root: valueToDisplay(decodeBson(bytes)) };
    case 'fix':
      return {
        kind: 'fields',
        format,
        fields: new FixShredder(options.fieldSeparator ?? SOH)
          .toFields(bytes)
          .map((f) => ({ name: String(f.tag), value: f.value })),
      };
    case 'nvfix':
      return {
        kind: 'fields',
        format,
        fields: new NvfixShredder(options.fieldSeparator ?? SOH)
          .toFields(bytes)
          .map((f) => ({ name: f.name, value: f.value })),
      };
    case 'bflat':
      return { kind: 'fields', format, fields: bflatToDisplay(decodeBFlatFields(bytes)) };
    case 'binary':
      return { kind: 'hex', format, ...hexDump(bytes, { maxBytes: options.maxHexBytes }) };
    default:
      if (isCompositeType(type)) {
        const parser = new CompositeMessageParser();
        parser.parse(bytes);
        const parts: DecodedPayload[] = [];
        for (let i = 0; i < parser.size; i++) {
          const part = parser.getPart(i) as Uint8Array;
          const declared = options.compositeParts?.[i];
          const partType = declared ?? guessPartType(part);
          const decoded = decodePayload(isCompositeType(partType) ? 'unknown' : partType, part, options);
          // A guessed type that fails to decode is shown as text/hex rather than as an error.
          parts.push(
            declared === undefined && decoded.kind === 'error' ? textOrHex(partType, part, options) : decoded,
          );
        }
        return { kind: 'composite', format, parts };
      }
      return textOrHex(format, bytes, options);
  }
}

/**
 * Decodes a payload for display by its message type (case-insensitive). An empty payload
 * is empty text for every type. Never throws:
 * a payload its codec rejects comes back as `{ kind: 'error', message, position, fallback }`
 * with the raw bytes as hex. Unknown types (protobuf, struct, custom) show as text when
 * valid UTF-8, else as hex.
 */
export function decodePayload(
  messageType: string,
  bytes: Uint8Array,
  options: DecodeOptions = {},
): DecodedPayload {
  const type = messageType.trim().toLowerCase();
  // Many AMPS messages (acks, OOF, sow_delete results) carry no payload: nothing to decode.
  if (bytes.length === 0) return { kind: 'text', format: messageType, text: '' };
  try {
    return decodeStrict(type, messageType, bytes, options);
  } catch (err) {
    const error: DecodedPayload = {
      kind: 'error',
      format: messageType,
      message: err instanceof Error ? err.message : String(err),
      fallback: hexDump(bytes, { maxBytes: options.maxHexBytes }),
    };
    if (err instanceof PayloadError && err.position !== undefined) error.position = err.position;
    return error;
  }
}

/** Fields for FIX/NVFIX: a plain object, a Map, or `[name, value]` pairs (to control order). */
export type FieldsInput =
  | Record<string, unknown>
  | ReadonlyMap<string | number, unknown>
  | ReadonlyArray<readonly [string | number, unknown]>;

function fieldEntries(value: unknown, format: 'fix' | 'nvfix'): [string, unknown][] {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), v]);
  if (Array.isArray(value)) {
    return value.map((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new PayloadError(format, `field ${i} must be a [name, value] pair`);
      }
      return [String(pair[0]), pair[1]];
    });
  }
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  throw new PayloadError(
    format,
    `fields must be an object, a Map or [name, value] pairs, not ${describeType(value)}`,
  );
}

function fieldValue(v: unknown, name: string, format: 'fix' | 'nvfix'): string | Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || v instanceof Uint8Array) return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new PayloadError(format, `field '${name}' holds ${describeType(v)}; ${format} values are flat text`);
}

function rawBytes(format: 'binary' | 'text', value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encodeUtf8(value);
  throw new PayloadError(format, `expected a string or Uint8Array, not ${describeType(value)}`);
}

/**
 * Encodes a value as a payload of the given message type: json (any JSON value), fix and
 * nvfix ({@link FieldsInput}; null writes NULL), msgpack (any value), bson (plain object),
 * bflat (a flat object, or typed {@link BFlatField}s), composite (an array of parts, each
 * a Uint8Array or string), binary and any other type (Uint8Array, or a string as UTF-8).
 * Throws {@link PayloadError} for values the format cannot hold.
 */
export function encodePayload(
  messageType: string,
  value: unknown,
  options: { fieldSeparator?: Separator } = {},
): Uint8Array {
  const type = messageType.trim().toLowerCase();
  switch (type) {
    case 'json':
      return encodeJson(value);
    case 'fix': {
      const b = new FixBuilder(options.fieldSeparator ?? SOH);
      for (const [k, v] of fieldEntries(value, 'fix')) b.append(k, fieldValue(v, k, 'fix'));
      return b.getBytes();
    }
    case 'nvfix': {
      const b = new NvfixBuilder(options.fieldSeparator ?? SOH);
      for (const [k, v] of fieldEntries(value, 'nvfix')) b.append(k, fieldValue(v, k, 'nvfix'));
      return b.getBytes();
    }
    case 'msgpack':
      return encodeMsgPack(value);
    case 'bson':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new PayloadError('bson', `a BSON document must be a plain object, not ${describeType(value)}`);
      }
      return encodeBson(value as Record<string, unknown>);
    case 'bflat':
      if (Array.isArray(value)) return encodeBFlatFields(value as BFlatField[]);
      if (typeof value !== 'object' || value === null) {
        throw new PayloadError('bflat', `expected a flat object, not ${describeType(value)}`);
      }
      return encodeBFlat(value as Record<string, unknown>);
    case 'binary':
      return rawBytes('binary', value);
    default:
      if (isCompositeType(type)) {
        if (!Array.isArray(value)) throw new PayloadError('composite', 'expected an array of parts');
        const b = new CompositeMessageBuilder();
        value.forEach((part: unknown, i) => {
          if (typeof part !== 'string' && !(part instanceof Uint8Array)) {
            throw new PayloadError(
              'composite',
              `part ${i} must be a string or Uint8Array, not ${describeType(part)}`,
            );
          }
          b.append(part);
        });
        return b.getData();
      }
      return rawBytes('text', value);
  }
}
