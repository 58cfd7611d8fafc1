/**
 * A payload decoded by main for display in the detail pane, by the message type of its
 * subscription's connection. The same shape as client/'s display model (`decodePayload`),
 * restated here because common/ imports none of our other layers; every value is plain JSON.
 */

/** What one tree node holds. */
export type DecodedNodeType =
  'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'binary' | 'datetime' | 'bigint';

/** One node of a decoded tree (JSON, XML, MessagePack, BSON). */
export interface DecodedNode {
  /** Member name in the parent object (absent for array elements and the root). */
  key?: string;
  type: DecodedNodeType;
  /** The scalar, display-ready: binary as hex, bigint as exact digits, datetime as ISO-8601. */
  value?: string | number | boolean | null;
  /** Members or elements, in payload order (duplicate keys kept). */
  children?: DecodedNode[];
  /** Type detail, e.g. `int32`, `objectId`, `xml attribute`, `ext 5`. */
  label?: string;
  /** For binary: its whole length in bytes (the hex may be cut). */
  size?: number;
}

/** One `name = value` row of a flat format (FIX, NVFIX, BFlat). */
export interface DecodedField {
  name: string;
  /** Null means NULL. */
  value: string | null;
  /** BFlat's type, e.g. `int32`, `string[]`. */
  type?: string;
}

/** One row of a hex dump. */
export interface DecodedHexRow {
  offset: number;
  /** Lower-case hex pairs separated by spaces. */
  hex: string;
  /** The bytes as ASCII, others as `.`. */
  ascii: string;
}

/** A hex dump of (the start of) a payload. */
export interface DecodedHexDump {
  rows: DecodedHexRow[];
  /** Whole payload length in bytes. */
  length: number;
  /** True when only the start was dumped. */
  truncated: boolean;
}

/** A decoded payload, by kind; `format` names the message type it was decoded as. */
export type DecodedPayloadView =
  | { kind: 'tree'; format: string; root: DecodedNode }
  | { kind: 'fields'; format: string; fields: DecodedField[] }
  | { kind: 'text'; format: string; text: string }
  | ({ kind: 'hex'; format: string } & DecodedHexDump)
  | { kind: 'composite'; format: string; parts: DecodedPayloadView[] }
  | { kind: 'error'; format: string; message: string; position?: number; fallback: DecodedHexDump };

/** Asks main to decode one held message of a subscription. */
export interface DecodedPayloadRequest {
  subscriptionId: string;
  /** The message's `index`. */
  index: number;
}

/** One held message decoded by its subscription's message type. */
export interface DecodedMessagePayload {
  /** The message type of the subscription's connection (`json`, `msgpack`, `composite-local`, ...). */
  messageType: string;
  /** Payload size in bytes. */
  size: number;
  payload: DecodedPayloadView;
}
