/**
 * Conformance: failure reasons → error classes and their parents (spec §5.6), through the
 * mapping function and through a real failed ack.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import {
  AuthenticationError,
  BadFilterError,
  BadRegexTopicError,
  BadSowKeyError,
  CommandError,
  ConnectionError,
  DuplicateLogonError,
  InvalidBookmarkError,
  InvalidOptionsError,
  InvalidOrderByError,
  InvalidSubIdError,
  InvalidTopicError,
  LogonRequiredError,
  MissingFieldsError,
  NameInUseError,
  NotEntitledError,
  PublishError,
  SubidInUseError,
  errorFromAckReason,
} from '../../src/errors.js';
import { ackFor, type FakeServer } from '../client/fakeServer.js';
import { loggedOn } from '../client/helpers.js';

type Cls = abstract new (...args: never[]) => Error;

/** The §5.6 table: reason text → class, and the branch it belongs to. */
const TABLE: readonly [string, Cls, Cls][] = [
  ['auth failure', AuthenticationError, ConnectionError],
  ['authentication failure', AuthenticationError, ConnectionError],
  ['bad filter', BadFilterError, CommandError],
  ['bad sow key', BadSowKeyError, CommandError],
  ['bad regex topic', BadRegexTopicError, CommandError],
  ['regex topic not supported', BadRegexTopicError, CommandError],
  ['duplicate logon attempt', DuplicateLogonError, CommandError],
  ['invalid bookmark', InvalidBookmarkError, CommandError],
  ['invalid message type', CommandError, CommandError],
  ['invalid options', InvalidOptionsError, CommandError],
  ['invalid order by', InvalidOrderByError, CommandError],
  ['invalid subid', InvalidSubIdError, CommandError],
  ['invalid topic', InvalidTopicError, CommandError],
  ['invalid topic or filter', InvalidTopicError, CommandError],
  ['logon required', LogonRequiredError, CommandError],
  ['name in use', NameInUseError, ConnectionError],
  ['not entitled', NotEntitledError, ConnectionError],
  ['no filter or bookmark', MissingFieldsError, CommandError],
  ['no client name', MissingFieldsError, CommandError],
  ['no topic or filter', MissingFieldsError, CommandError],
  ['orderby required', MissingFieldsError, CommandError],
  ['not supported', CommandError, CommandError],
  ['orderby too large', CommandError, CommandError],
  ['projection clause too large', CommandError, CommandError],
  ['txn replay failed', CommandError, CommandError],
  ['subid in use', SubidInUseError, CommandError],
  [
    'sow_delete command only supports one of: filter, sow_keys, bookmark, or data',
    CommandError,
    CommandError,
  ],
  ['sow store failed', PublishError, CommandError],
  ['tx store failure', PublishError, CommandError],
  ['something new', CommandError, CommandError],
];

describe('reason → error class (§5.6)', () => {
  it.each(TABLE)('"%s"', (reason, cls, parent) => {
    const e = errorFromAckReason(reason, 'subscribe "orders"');
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(parent);
    // Only the classes the table puts under ConnectionException are connection errors.
    expect(e instanceof ConnectionError).toBe(parent === ConnectionError);
    expect(e.message).toContain(reason);
    expect(e.message).toContain('subscribe "orders"');
  });
});

let client: Client | undefined;
let server: FakeServer;
afterEach(async () => {
  await client?.disconnect();
  client = undefined;
});

describe('a failed ack rejects the command with the mapped error', () => {
  it('subscribe refused with not entitled → NotEntitledError (a ConnectionError)', async () => {
    ({ client, server } = await loggedOn());
    server.on('subscribe', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'not entitled' })),
    );
    const err = await client.subscribe('secret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotEntitledError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(client.isConnected).toBe(true);
  });

  it('sow refused with an unknown reason → CommandError carrying that reason', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'sow disabled today' })),
    );
    const err = await client.sow('orders').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).code).toBe('sow disabled today');
  });
});
