/**
 * The AMPS header field table (spec §3.1, §3.3, §3.4): logical names, the keys each side
 * emits, and every alias a tolerant reader accepts.
 */

/** Logical header field names, as used by Command, Message and the sandbox. */
export const FIELD_NAMES = [
  'command',
  'topic',
  'commandId',
  'clientName',
  'userId',
  'timestamp',
  'filter',
  'messageType',
  'ackType',
  'subId',
  'version',
  'expiration',
  'heartbeat',
  'timeoutInterval',
  'leasePeriod',
  'status',
  'queryId',
  'batchSize',
  'topN',
  'orderBy',
  'sowKeys',
  'correlationId',
  'sequence',
  'bookmark',
  'password',
  'options',
  'recordsInserted',
  'recordsUpdated',
  'recordsDeleted',
  'recordsReturned',
  'topicMatches',
  'matches',
  'length',
  'sowKey',
  'groupSequence',
  'subIds',
  'reason',
  'skipN',
] as const;

/** One logical header field. */
export type FieldName = (typeof FIELD_NAMES)[number];

/** A decoded or to-be-encoded header: every value is kept as text (sequence numbers exceed 2^53). */
export type HeaderFields = { [K in FieldName]?: string };

interface FieldSpec {
  /** Key the official C-family client writes (spec §3.3). */
  client: string;
  /** Key a server writes (only keys official clients parse, spec §1.4). */
  server: string;
  /** Every key accepted on input (spec §3.4). */
  aliases: readonly string[];
  /** Written as an unquoted JSON number by clients. */
  clientNumber?: boolean;
  /** Written as an unquoted JSON number by servers. */
  serverNumber?: boolean;
}

const f = (
  client: string,
  server: string,
  aliases: readonly string[],
  numbers: { clientNumber?: boolean; serverNumber?: boolean } = {},
): FieldSpec => ({ client, server, aliases, ...numbers });

/** The master table, in the official client's emission order (spec §3.3). */
export const FIELDS: Readonly<Record<FieldName, FieldSpec>> = {
  command: f('c', 'c', ['c', 'cmd']),
  topic: f('t', 't', ['t', 'topic']),
  commandId: f('cid', 'cid', ['cid', 'cmd_id']),
  clientName: f('client_name', 'client_name', ['client_name']),
  userId: f('user_id', 'user_id', ['user_id']),
  timestamp: f('ts', 'ts', ['ts', 'timestamp']),
  filter: f('filter', 'filter', ['filter', 'f']),
  messageType: f('mt', 'mt', ['mt', 'message_type']),
  ackType: f('a', 'a', ['a', 'ack', 'ack_type']),
  subId: f('sub_id', 'sub_id', ['sub_id']),
  version: f('version', 'version', ['version', 'v']),
  expiration: f('e', 'e', ['e', 'expiration']),
  heartbeat: f('heartbeat', 'heartbeat', ['heartbeat']),
  timeoutInterval: f('time_interval', 'time_interval', ['time_interval', 'timeout_interval'], {
    clientNumber: true,
  }),
  leasePeriod: f('lp', 'lp', ['lp', 'leaseperiod', 'lease_period']),
  status: f('status', 'status', ['status']),
  queryId: f('query_id', 'query_id', ['query_id']),
  batchSize: f('batch_size', 'bs', ['bs', 'batch_size'], { clientNumber: true, serverNumber: true }),
  topN: f('top_n', 'top_n', ['top_n'], { clientNumber: true }),
  orderBy: f('orderby', 'orderby', ['orderby', 'order_by']),
  sowKeys: f('sow_keys', 'sow_keys', ['sow_keys']),
  correlationId: f('x', 'x', ['x', 'correlation_id']),
  sequence: f('s', 's', ['s', 'seq'], { clientNumber: true, serverNumber: true }),
  bookmark: f('bookmark', 'bm', ['bm', 'bookmark']),
  password: f('pw', 'pw', ['pw', 'password', 'auth_key']),
  options: f('o', 'opts', ['o', 'opts']),
  recordsInserted: f('records_inserted', 'records_inserted', ['records_inserted'], { serverNumber: true }),
  recordsUpdated: f('records_updated', 'records_updated', ['records_updated'], { serverNumber: true }),
  recordsDeleted: f('records_deleted', 'records_deleted', ['records_deleted'], { serverNumber: true }),
  recordsReturned: f('records_returned', 'records_returned', ['records_returned'], { serverNumber: true }),
  topicMatches: f('topic_matches', 'topic_matches', ['topic_matches'], { serverNumber: true }),
  matches: f('matches', 'matches', ['matches'], { serverNumber: true }),
  length: f('l', 'l', ['l', 'msg_len'], { serverNumber: true }),
  sowKey: f('k', 'k', ['k', 'sow_key']),
  groupSequence: f('gseq', 'gseq', ['gseq', 'group_seq_num', 'group_sequence_number'], {
    serverNumber: true,
  }),
  subIds: f('sids', 'sids', ['sids', 'sub_ids']),
  reason: f('reason', 'reason', ['reason']),
  skipN: f('skip_n', 'skip_n', ['skip_n']),
};

/** Wire key (any alias) → logical field. */
export const FIELD_BY_KEY: ReadonlyMap<string, FieldName> = new Map(
  FIELD_NAMES.flatMap((name) => FIELDS[name].aliases.map((key) => [key, name] as const)),
);
