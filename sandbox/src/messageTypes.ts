/**
 * Message types of the sandbox (spec §13): how a topic's payload becomes the plain document
 * the expression evaluator, SOW keys and order_by read, and how delta publish merges and
 * delta subscriptions diff per type. Payloads are parsed only when something needs it, as
 * AMPS does: a payload that never needs parsing is never validated.
 */
import { diffRecord, mergeDelta } from './delta.js';
import { bflatCodec, fixCodec, nvfixCodec } from './messageTypes/fieldTypes.js';
import { bsonCodec, msgpackCodec } from './messageTypes/documentTypes.js';
import { xmlCodec } from './messageTypes/xmlType.js';
import { MessageParseError } from './messageTypes/parseError.js';

export { MessageParseError } from './messageTypes/parseError.js';

/** The built-in message types the sandbox understands. */
export const MESSAGE_TYPES = ['json', 'fix', 'nvfix', 'xml', 'binary', 'msgpack', 'bson', 'bflat'] as const;

/** Name of a built-in message type. */
export type MessageTypeName = (typeof MESSAGE_TYPES)[number];

/** A delta for delta subscribers: the encoded delta and whether any field changed. */
export interface DeltaOutcome {
  data: Buffer;
  changed: boolean;
}

/** Per-type payload handling. */
export interface MessageTypeCodec {
  readonly name: MessageTypeName;
  /** False for `binary`: no filters, no SOW keys from content, no delta. */
  readonly parsable: boolean;
  /**
   * Turns a payload into a plain document (objects, arrays, strings, numbers, bigints,
   * booleans, null) that identifiers like `/55`, `/Root/@attr` or `/a/b` resolve against.
   * @throws MessageParseError naming the problem and its byte offset
   */
  parse(data: Buffer): unknown;
  /**
   * delta_publish merge (spec §9.1): fields of the update replace those of the old
   * record, new fields are appended, NULL values in the update are ignored. Undefined
   * for types without delta publish (the literal message is stored).
   * @throws MessageParseError when either payload does not parse
   */
  merge?(old: Buffer, update: Buffer): Buffer;
  /**
   * Delta subscription (spec §9.2): key fields plus the fields whose values changed, in
   * the topic's own encoding. Undefined when the type has no delta subscribe.
   * @throws MessageParseError when either payload does not parse
   */
  diff?(old: Buffer, next: Buffer, keyPaths: readonly string[]): DeltaOutcome;
}

function parseJsonPayload(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (e) {
    throw new MessageParseError('json', e instanceof Error ? e.message : String(e));
  }
}

const jsonCodec: MessageTypeCodec = {
  name: 'json',
  parsable: true,
  parse: parseJsonPayload,
  merge: (old, update) =>
    Buffer.from(JSON.stringify(mergeDelta(parseJsonPayload(old), parseJsonPayload(update))), 'utf8'),
  diff: (old, next, keyPaths) => {
    const d = diffRecord(parseJsonPayload(old), parseJsonPayload(next), keyPaths);
    return { data: Buffer.from(JSON.stringify(d.delta), 'utf8'), changed: d.changed };
  },
};

const binaryCodec: MessageTypeCodec = {
  name: 'binary',
  parsable: false,
  parse: () => {
    throw new MessageParseError('binary', 'binary payloads have no fields');
  },
};

const CODECS: Readonly<Record<MessageTypeName, MessageTypeCodec>> = {
  json: jsonCodec,
  fix: fixCodec,
  nvfix: nvfixCodec,
  xml: xmlCodec,
  binary: binaryCodec,
  msgpack: msgpackCodec,
  bson: bsonCodec,
  bflat: bflatCodec,
};

/** Whether a name is a built-in message type (case-sensitive, as AMPS names them). */
export function isMessageType(name: string): name is MessageTypeName {
  return (MESSAGE_TYPES as readonly string[]).includes(name);
}

/** The codec of a message type; unknown names are treated as opaque like `binary`. */
export function codecFor(name: string): MessageTypeCodec {
  return isMessageType(name) ? CODECS[name] : binaryCodec;
}

/** Parses a payload, returning undefined instead of throwing (filters simply do not match). */
export function tryParse(codec: MessageTypeCodec, data: Buffer): unknown {
  if (!codec.parsable) return undefined;
  try {
    return codec.parse(data);
  } catch (e) {
    if (e instanceof MessageParseError) return undefined;
    throw e;
  }
}

/**
 * The plain document of a payload of a message type, or undefined when it does not parse
 * (for code outside the publish path: journal recovery, bookmark replay filters).
 */
export function parsePayload(messageType: string, data: Buffer): unknown {
  return tryParse(codecFor(messageType), data);
}

/** Message type chosen by each connection at logon (`mt`), by session object. */
const sessionTypes = new WeakMap<object, MessageTypeName>();

/** Records the message type a connection logged on with. */
export function setSessionMessageType(session: object, type: MessageTypeName): void {
  sessionTypes.set(session, type);
}

/** The message type a connection logged on with, if it named one. */
export function sessionMessageType(session: object): MessageTypeName | undefined {
  return sessionTypes.get(session);
}
