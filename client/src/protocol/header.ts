/**
 * Header codec (spec §1.3, §1.4, §3): reads the flat JSON object at the start of a frame
 * tolerantly (every alias, whitespace, numbers quoted or bare, full JSON escapes) keeping
 * every value as text, and writes compact JSON with `c` first.
 */
import { FIELDS, FIELD_NAMES, type FieldName, type HeaderFields } from './fields.js';

export { decodeHeader, type DecodedHeader } from './headerDecode.js';

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

/** What one dialect writes: the fields in emission order, their keys and number rules. */
interface DialectTable {
  /** Logical field name → position in the emission order. */
  rank: ReadonlyMap<string, number>;
  names: readonly FieldName[];
  /** `"key":` of each position. */
  keys: readonly string[];
  numeric: readonly boolean[];
}

function dialectTable(order: readonly FieldName[], dialect: HeaderDialect): DialectTable {
  return {
    rank: new Map(order.map((name, i) => [name, i])),
    names: order,
    keys: order.map((name) => `"${dialect === 'client' ? FIELDS[name].client : FIELDS[name].server}":`),
    numeric: order.map((name) =>
      dialect === 'client' ? FIELDS[name].clientNumber === true : FIELDS[name].serverNumber === true,
    ),
  };
}

const CLIENT_TABLE = dialectTable(CLIENT_ORDER, 'client');
const SERVER_TABLE = dialectTable(SERVER_ORDER, 'server');

/** Positions and values of the fields being encoded (encodeHeader does not re-enter). */
const scratchRank: number[] = [];
const scratchValue: string[] = [];

/** True when `text` is one or more ASCII digits. */
function isDigits(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** True when `text` needs no JSON escaping (no quote, backslash, control or non-ASCII character). */
function isPlain(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

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
  const table = dialect === 'client' ? CLIENT_TABLE : SERVER_TABLE;
  const shortPublish = options.shortPublish ?? true;
  // Collect the present fields, kept sorted by emission order (headers have few fields).
  let count = 0;
  for (const name in fields) {
    const value = fields[name as FieldName];
    if (value === undefined) continue;
    const rank = table.rank.get(name);
    if (rank === undefined) continue;
    let at = count++;
    while (at > 0 && (scratchRank[at - 1] as number) > rank) {
      scratchRank[at] = scratchRank[at - 1] as number;
      scratchValue[at] = scratchValue[at - 1] as string;
      at--;
    }
    scratchRank[at] = rank;
    scratchValue[at] = value;
  }
  let out = '{';
  // Start of the previous and of the last field written, to keep `s` from being last.
  let previous = -1;
  let last = -1;
  for (let i = 0; i < count; i++) {
    const rank = scratchRank[i] as number;
    let value = scratchValue[i] as string;
    if (rank === 0 && shortPublish && value === 'publish') value = 'p';
    previous = last;
    last = out.length;
    out += (i === 0 ? '' : ',') + (table.keys[rank] as string);
    out +=
      table.numeric[rank] === true && isDigits(value)
        ? value
        : isPlain(value)
          ? '"' + value + '"'
          : JSON.stringify(value);
  }
  for (let i = 0; i < count; i++) scratchValue[i] = '';
  const lastName = count > 0 ? table.names[scratchRank[count - 1] as number] : undefined;
  if (dialect === 'server' && lastName === 'sequence' && previous > 1) {
    // The JavaScript clients read `s` with a pattern that needs a comma after it (spec §1.4):
    // a server never writes it last, so it trades places with the field before it (never with `c`).
    out = out.slice(0, previous) + out.slice(last) + out.slice(previous, last);
  }
  return out + '}';
}

/** Most topics whose publish header bytes are cached, per command. */
const MAX_CACHED_TOPICS = 1024;
const publishHeaderCache = new Map<string, Map<string, Buffer>>();

/**
 * {@link encodeHeader} as UTF-8 bytes, for a stream transport (`publish` written as `p`).
 * The header of a plain publish (command and topic only, the usual case) is encoded once per
 * topic and the same read-only Buffer returned afterwards: callers must not modify it.
 */
export function encodeClientHeaderBytes(fields: HeaderFields, shortPublish: boolean): Buffer {
  const { command, topic } = fields;
  if (
    shortPublish &&
    (command === 'publish' || command === 'delta_publish') &&
    topic !== undefined &&
    onlyCommandAndTopic(fields)
  ) {
    let byTopic = publishHeaderCache.get(command);
    if (byTopic === undefined) publishHeaderCache.set(command, (byTopic = new Map()));
    let bytes = byTopic.get(topic);
    if (bytes === undefined) {
      if (byTopic.size >= MAX_CACHED_TOPICS) byTopic.clear();
      bytes = Buffer.from(encodeHeader({ command, topic }, 'client', { shortPublish }), 'utf8');
      byTopic.set(topic, bytes);
    }
    return bytes;
  }
  return Buffer.from(encodeHeader(fields, 'client', { shortPublish }), 'utf8');
}

function onlyCommandAndTopic(fields: HeaderFields): boolean {
  for (const name in fields) {
    if (name !== 'command' && name !== 'topic' && fields[name as FieldName] !== undefined) return false;
  }
  return true;
}
