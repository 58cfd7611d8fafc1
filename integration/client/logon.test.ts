/** Logon against the sandbox (spec §4.3, §6): anonymous, users file, client-name rules, version. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, DisconnectedError, NameInUseError } from '../../client/src/errors.js';
import { parseCli } from '../../sandbox/src/cli.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { ClientPool, sleep, TRANSPORTS, uniqueName, WAIT_MS, within } from './helpers.js';

/** `tcp://127.0.0.1:1/amps/json` + user/password → `tcp://user:password@127.0.0.1:1/amps/json`. */
function withUser(uri: string, user: string, password: string): string {
  return uri.replace('://', `://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);
}

/** Polls `condition` every 10 ms; fails after {@link WAIT_MS}. */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let anonymous: SandboxFixture;
let secured: SandboxFixture;
let usersDir: string;

beforeAll(async () => {
  usersDir = mkdtempSync(join(tmpdir(), 'amps-it-users-'));
  const usersFile = join(usersDir, 'users.json');
  writeFileSync(usersFile, JSON.stringify({ alice: 'secret', bob: 'hunter2' }));
  // The users come from a users file, read the way `npm run sandbox -- --users FILE` reads it.
  const { users } = parseCli(['--users', usersFile]).config;
  [anonymous, secured] = await Promise.all([
    startSandbox({ version: '5.3.5.1' }),
    startSandbox({ users, version: '5.3.4.12' }),
  ]);
});
afterAll(async () => {
  await Promise.all([anonymous.close(), secured.close()]);
  rmSync(usersDir, { recursive: true, force: true });
});

describe.each(TRANSPORTS)('logon over $transport', ({ uriOf }) => {
  const pool = new ClientPool();
  afterEach(() => pool.closeAll());

  it('logs on anonymously and reports the server version', async () => {
    const client = await pool.open(uriOf(anonymous), 'anon');
    expect(client.isLoggedOn).toBe(true);
    expect(client.getServerVersionInfo().getVersionString()).toBe('5.3.5.1');
    expect(client.getServerVersion()).toBe(5030501);
  });

  it('logs on with the right password from the users file', async () => {
    const client = await pool.open(withUser(uriOf(secured), 'alice', 'secret'), 'alice');
    expect(client.isLoggedOn).toBe(true);
    expect(client.getServerVersion()).toBe(5030412);
    // The logged-on connection works: a flush round-trips.
    await client.publishFlush(WAIT_MS);
  });

  it('rejects a wrong password with AuthenticationError', async () => {
    const client = await pool.connectOnly(withUser(uriOf(secured), 'alice', 'wrong'), uniqueName('bad'));
    const error = await within(client.logon(), WAIT_MS, 'logon').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('auth failure');
    expect(client.isLoggedOn).toBe(false);
    // The server drops a connection that failed to authenticate.
    await waitUntil(() => !client.isConnected, 'the connection to close');
    expect(() => client.publish('after-failure', '{}')).toThrow(DisconnectedError);
  });

  it('rejects an unknown user with AuthenticationError', async () => {
    const client = await pool.connectOnly(withUser(uriOf(secured), 'mallory', 'secret'), uniqueName('who'));
    await expect(within(client.logon(), WAIT_MS, 'logon')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses a client name held by another user with NameInUseError (spec §6.2)', async () => {
    const name = uniqueName('shared');
    const first = await pool.open(withUser(uriOf(secured), 'alice', 'secret'), 'x', name);
    const second = await pool.connectOnly(withUser(uriOf(secured), 'bob', 'hunter2'), name);
    const error = await within(second.logon(), WAIT_MS, 'logon').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NameInUseError);
    expect((error as NameInUseError).code).toBe('name in use');
    await waitUntil(() => !second.isConnected, 'the refused connection to close');
    // The holder of the name is untouched.
    expect(first.isConnected).toBe(true);
    await first.publishFlush(WAIT_MS);
  });

  it('the same user logging on with a held name takes it over: the old connection is dropped (spec §6.2)', async () => {
    const name = uniqueName('takeover');
    const old = await pool.open(withUser(uriOf(secured), 'alice', 'secret'), 'x', name);
    const stream = await old.subscribe(`takeover-${name}`);
    const fresh = await pool.open(withUser(uriOf(secured), 'alice', 'secret'), 'x', name);
    expect(fresh.isLoggedOn).toBe(true);
    // The old connection's subscription ends with a DisconnectedError.
    await expect(within(stream.read(WAIT_MS), WAIT_MS + 500, 'old stream')).rejects.toBeInstanceOf(
      DisconnectedError,
    );
    expect(old.isConnected).toBe(false);
    await fresh.publishFlush(WAIT_MS);
  });
});
