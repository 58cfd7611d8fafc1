/**
 * Payload codecs for every AMPS message type (spec §13), pure TypeScript over Uint8Array
 * (no Node APIs), so both the client and the renderer can use them.
 */
export { decodePayload, encodePayload, isCompositeType } from './registry.js';
export type { DecodeOptions, FieldsInput } from './registry.js';
export type {
  CompositePayload,
  DecodedPayload,
  DisplayField,
  DisplayNode,
  DisplayType,
  ErrorPayload,
  FieldsPayload,
  HexPayload,
  TextPayload,
  TreePayload,
} from './decoded.js';
export { PayloadError, MAX_NESTING_DEPTH } from './payloadError.js';
export type { PayloadFormat } from './payloadError.js';
export { decodeJson, encodeJson, jsonTreeToValue, parseJsonTree } from './json.js';
export type { JsonValue } from './json.js';
export { FixBuilder, FixShredder } from './fix.js';
export type { FixField } from './fix.js';
export { NvfixBuilder, NvfixShredder } from './nvfix.js';
export type { NvfixField } from './nvfix.js';
export { SOH } from './fieldList.js';
export type { Separator } from './fieldList.js';
export { parseXml, MAX_XML_DEPTH } from './xml.js';
export type { XmlAttribute, XmlElement, XmlNode, XmlText } from './xml.js';
export { decodeMsgPack, encodeMsgPack, MsgPackExtension, MsgPackTimestamp } from './msgpack.js';
export type { MsgPackValue } from './msgpack.js';
export { decodeBson, encodeBson, BsonBinary, BsonOther } from './bson.js';
export type { BsonDocument, BsonValue } from './bson.js';
export { decodeBFlat, decodeBFlatFields, encodeBFlat, encodeBFlatFields, BFLAT_TYPE_CODES } from './bflat.js';
export type { BFlatField, BFlatScalar, BFlatType } from './bflat.js';
export { formatHexDump, fromHex, hexDump, toHex } from './binary.js';
export type { HexDump, HexDumpOptions, HexRow } from './binary.js';
export { CompositeMessageBuilder, CompositeMessageParser } from './composite.js';
export { bflatToDisplay, formatDisplayTree, valueToDisplay, xmlToDisplay } from './display.js';
