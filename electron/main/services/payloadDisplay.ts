/**
 * Payloads by message type for display. The list gets binary documents (MessagePack, BSON,
 * BFlat) as the JSON text of their decoded value, so its preview, search, field columns,
 * compare and copy work on them as on JSON; the detail pane asks for one held message
 * decoded into client/'s display model (tree, fields, text, hex, composite parts or the
 * codec's error), bounded in size.
 */
import { decodeBFlat } from '../../../client/src/types/bflat.js';
import { BsonBinary, BsonOther, decodeBson } from '../../../client/src/types/bson.js';
import { decodeMsgPack, MsgPackExtension, MsgPackTimestamp } from '../../../client/src/types/msgpack.js';
import { decodePayload } from '../../../client/src/types/registry.js';
import type { DecodedMessagePayload, DecodedPayloadRequest } from '../../../common/src/dto/decodedPayload.js';
import { DECODED_FROM_TYPES } from '../../../common/src/dto/subscriptions.js';
import type { DecodedFromType } from '../../../common/src/dto/subscriptions.js';
import { ExplorerError } from '../../../common/src/ipc/errors.js';

/** Largest payload decoded for the detail pane, in bytes. */
export const MAX_DECODED_BYTES = 4 * 1024 * 1024;
/** Hex shown of a binary payload (or one its codec rejected) in the detail pane. */
export const MAX_HEX_BYTES = 64 * 1024;

/**
 * The message type named by the last path segment of a connection string
 * (`tcp://host:9007/amps/msgpack` → `msgpack`), lower-case; `json` when it names none.
 */
export function payloadTypeOf(connectionString: string | undefined): string {
  if (connectionString === undefined) return 'json';
  const path = connectionString.replace(/[?#].*$/s, '');
  const slash = path.lastIndexOf('/');
  // `tcp://host:port` alone, or `.../amps` with no type after it.
  if (slash < 0 || path.slice(0, slash).endsWith('/')) return 'json';
  const last = path
    .slice(slash + 1)
    .trim()
    .toLowerCase();
  return last === '' || last === 'amps' ? 'json' : last;
}

/** True for the types whose payloads the list shows as JSON text. */
export function isDecodedFromType(messageType: string): messageType is DecodedFromType {
  return (DECODED_FROM_TYPES as readonly string[]).includes(messageType);
}

const HEX = '0123456789abcdef';

function hexText(bytes: Uint8Array): string {
  let out = '0x';
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return JSON.stringify(out);
}

function mapKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k instanceof Uint8Array) return JSON.parse(hexText(k)) as string;
  if (typeof k === 'object' && k !== null) return `<${Array.isArray(k) ? 'array' : 'object'} key>`;
  return String(k);
}

function write(v: unknown, out: string[]): void {
  if (v === null || v === undefined) out.push('null');
  else if (typeof v === 'string') out.push(JSON.stringify(v));
  // Infinity / NaN of a binary format have no JSON form: quoted.
  else if (typeof v === 'number') out.push(Number.isFinite(v) ? String(v) : `"${v}"`);
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'bigint') out.push(v.toString());
  else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      write(v[i], out);
    }
    out.push(']');
  } else if (v instanceof Uint8Array) out.push(hexText(v));
  else if (v instanceof Date) out.push(Number.isNaN(v.getTime()) ? '"Invalid Date"' : `"${v.toISOString()}"`);
  else if (v instanceof MsgPackTimestamp) out.push(`"${v.toISOString()}"`);
  else if (v instanceof MsgPackExtension || v instanceof BsonBinary) out.push(hexText(v.data));
  else if (v instanceof BsonOther) out.push(JSON.stringify(v.display));
  else if (v instanceof Map) {
    out.push('{');
    const seen = new Set<string>();
    for (const [k, item] of v as Map<unknown, unknown>) {
      const key = mapKey(k);
      if (seen.has(key)) continue;
      if (seen.size > 0) out.push(',');
      seen.add(key);
      out.push(JSON.stringify(key), ':');
      write(item, out);
    }
    out.push('}');
  } else if (typeof v === 'object') {
    out.push('{');
    let first = true;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write((v as Record<string, unknown>)[key], out);
    }
    out.push('}');
  } else out.push(JSON.stringify(String(v as string)));
}

/**
 * Compact JSON of a decoded MessagePack, BSON or BFlat value: big integers exact, binary as a
 * `0x…` string, dates as ISO strings, other BSON types as their display text, a map key
 * repeated kept once (its first value, as AMPS reads it). The codecs bound the nesting depth.
 */
export function valueJson(value: unknown): string {
  if (plain(value)) return JSON.stringify(value);
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

/** True when JSON.stringify writes the value as {@link write} would (the common case, faster). */
function plain(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const item of v) if (!plain(item)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in v) if (!plain((v as Record<string, unknown>)[key])) return false;
  return true;
}

/** What the list shows of a binary document: its JSON text (cut to the display limit), or why not. */
export type ListData = { data: string; truncated: boolean } | { error: string };

/**
 * Decodes a MessagePack, BSON or BFlat payload to the JSON text the list shows, cut to
 * `maxChars`; a payload over {@link MAX_DECODED_BYTES} or one its codec rejects gets the reason.
 */
export function listData(type: DecodedFromType, payload: Uint8Array, maxChars: number): ListData {
  if (payload.byteLength === 0) return { data: '', truncated: false };
  if (payload.byteLength > MAX_DECODED_BYTES) {
    return {
      error: `${type} payload of ${payload.byteLength} bytes is over the ${MAX_DECODED_BYTES} bytes decoded for the list`,
    };
  }
  try {
    const value =
      type === 'msgpack'
        ? decodeMsgPack(payload)
        : type === 'bson'
          ? decodeBson(payload)
          : decodeBFlat(payload);
    const json = valueJson(value);
    return json.length > maxChars
      ? { data: json.slice(0, maxChars), truncated: true }
      : { data: json, truncated: false };
  } catch (error) {
    return { error: `${type}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What {@link DecodedPayloads} needs of the subscriptions. */
export interface DecodedPayloadSource {
  /** The message type of a subscription the caller runs (throws when unknown or not the caller's). */
  messageType(subscriptionId: string, ownerId: string): string;
  /** The payload of message `index` while main holds it. */
  payload(subscriptionId: string, ownerId: string, index: number): Uint8Array | undefined;
}

/** Decodes held messages for the detail pane, bounded by {@link MAX_DECODED_BYTES}. */
export class DecodedPayloads {
  readonly #source: DecodedPayloadSource;
  readonly #maxBytes: number;

  constructor(source: DecodedPayloadSource, maxBytes = MAX_DECODED_BYTES) {
    this.#source = source;
    this.#maxBytes = maxBytes;
  }

  decoded(request: DecodedPayloadRequest, ownerId: string): DecodedMessagePayload {
    const { subscriptionId, index } = request;
    const messageType = this.#source.messageType(subscriptionId, ownerId);
    const payload = this.#source.payload(subscriptionId, ownerId, index);
    if (payload === undefined) {
      throw new ExplorerError({
        name: 'PayloadNotKeptError',
        message: `message ${index} of subscription ${subscriptionId} is no longer held (main holds the newest messages of each subscription)`,
        code: 'payload-not-kept',
      });
    }
    if (payload.byteLength > this.#maxBytes) {
      throw new ExplorerError({
        name: 'PayloadTooLargeError',
        message: `message ${index} is ${payload.byteLength} bytes, over the ${this.#maxBytes} bytes decoded for display: open the whole payload instead`,
        code: 'payload-too-large',
      });
    }
    return {
      messageType,
      size: payload.byteLength,
      payload: decodePayload(messageType, payload, { maxHexBytes: MAX_HEX_BYTES }),
    };
  }
}
