/**
 * The display model of decoded payloads: what `decodePayload` returns and a viewer
 * renders generically. Every value in it is plain JSON (no bigint, no typed arrays), so it
 * crosses IPC and the browser-host WebSocket unchanged.
 */
import type { HexDump, HexRow } from './binary.js';

/** Kinds of {@link DisplayNode}. */
export type DisplayType =
  'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'binary' | 'datetime' | 'bigint';

/**
 * One node of a decoded tree. `value` by type: `string` → the text; `number` → the number,
 * or its original text when no finite double holds it; `bigint` → exact decimal digits;
 * `boolean` → the boolean; `null` → null; `binary` → lower-case hex (possibly cut, see
 * `size`); `datetime` → an ISO-8601 UTC string. Objects and arrays have `children`
 * instead; children of an array carry no `key` (their index is their position).
 */
export interface DisplayNode {
  /** Member name in the parent object (absent for array elements and the root). */
  key?: string;
  /** What the node holds. */
  type: DisplayType;
  /** The scalar value, display-ready (see the type's TSDoc). */
  value?: string | number | boolean | null;
  /** Members of an object or elements of an array, in payload order (duplicates kept). */
  children?: DisplayNode[];
  /** Extra type detail for the viewer, e.g. `int32`, `ext 5`, `objectId`, `xml attribute`. */
  label?: string;
  /** For `binary`: the full length in bytes (the hex may be cut). */
  size?: number;
}

/** One `name = value` row of a flat format (FIX, NVFIX, BFlat). */
export interface DisplayField {
  /** Tag or name. */
  name: string;
  /** The value as display text; null means NULL (e.g. `a=` in NVFIX, BFlat null). */
  value: string | null;
  /** Type detail when the format has types (BFlat: `int32`, `string[]`, ...). */
  type?: string;
}

/** A decoded tree (JSON, XML, MessagePack, BSON). */
export interface TreePayload {
  kind: 'tree';
  /** The format that produced it. */
  format: string;
  /** The document root. */
  root: DisplayNode;
}

/** A flat list of fields (FIX, NVFIX, BFlat), duplicates kept in order. */
export interface FieldsPayload {
  kind: 'fields';
  /** The format that produced it. */
  format: string;
  /** The fields in payload order. */
  fields: DisplayField[];
}

/** Plain UTF-8 text (unknown types whose bytes are valid UTF-8). */
export interface TextPayload {
  kind: 'text';
  /** The message type asked for. */
  format: string;
  /** The decoded text. */
  text: string;
}

/** A hex dump (binary, and unknown types that are not UTF-8). */
export interface HexPayload extends HexDump {
  kind: 'hex';
  /** The message type asked for. */
  format: string;
  /** The rows (see {@link HexDump}). */
  rows: HexRow[];
}

/** A composite message split into parts, each decoded on its own. */
export interface CompositePayload {
  kind: 'composite';
  /** The message type asked for. */
  format: string;
  /** The parts in order. */
  parts: DecodedPayload[];
}

/** A payload its codec rejected; the raw bytes survive as a hex dump. */
export interface ErrorPayload {
  kind: 'error';
  /** The message type asked for. */
  format: string;
  /** What is wrong, as the codec said it. */
  message: string;
  /** Byte offset of the problem, when known. */
  position?: number;
  /** The raw payload as hex. */
  fallback: HexDump;
}

/** What a viewer renders for one payload. */
export type DecodedPayload =
  TreePayload | FieldsPayload | TextPayload | HexPayload | CompositePayload | ErrorPayload;
