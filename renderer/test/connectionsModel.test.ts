import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, ConnectionStatusEvent } from '../../common/src/dto/connections.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import { DEFAULT_HA } from '../../common/src/dto/profiles.js';
import { ConnectionsModel, MAX_EVENTS, describeState, formatDelay, isOpen } from '../src/connections/connectionsModel.js';
import { FakeApi, settle } from './fakes.js';

const info = (patch: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  connectionId: 'c1',
  name: 'HA pair',
  connectionString: 'tcp://a:1/amps/json',
  servers: ['tcp://a:1/amps/json', 'tcp://b:2/amps/json'],
  serverIndex: 0,
  state: 'loggedOn',
  openedAt: 1000,
  ...patch,
});

const status = (patch: Partial<ConnectionStatusEvent>): ConnectionStatusEvent => ({ ...info(), at: 2000, ...patch });

const profile = (id: string, builtIn = false): Profile => ({
  id,
  name: id,
  servers: ['tcp://a:1/amps/json'],
  hasPassword: false,
  tls: { verify: true },
  ha: DEFAULT_HA,
  bookmarkStore: { kind: 'none' },
  publishStore: { kind: 'none' },
  production: false,
  builtIn,
  messageType: 'json',
});

describe('describeState', () => {
  it('says each state as the user reads it', () => {
    expect(describeState(info({ state: 'connecting', serverIndex: 1 }))).toBe('connecting to server 2…');
    expect(describeState(info({ state: 'connecting', servers: ['x'] }))).toBe('connecting…');
    expect(describeState(info())).toBe('logged on to server 1');
    expect(describeState(info({ state: 'failedOver', serverIndex: 1 }))).toBe('failed over to server 2');
    expect(describeState(info({ state: 'reconnecting', retryInMs: 2500, attempt: 3 }))).toBe(
      'reconnecting in 2.5 s (attempt 3)',
    );
    expect(describeState(info({ state: 'reconnecting' }))).toBe('reconnecting');
    // With a clock, the wait counts down to the next attempt (never below zero).
    const waiting = info({ state: 'reconnecting', retryInMs: 5000, nextAttemptAt: 10_000, attempt: 2 });
    expect(describeState(waiting, 7_000)).toBe('reconnecting in 3.0 s (attempt 2)');
    expect(describeState(waiting, 11_000)).toBe('reconnecting in 0 ms (attempt 2)');
    expect(
      describeState(
        info({ state: 'disconnected', error: { name: 'DisconnectedError', message: 'socket closed', code: 'x', retriable: true } }),
      ),
    ).toBe('disconnected: socket closed');
    expect(describeState(info({ state: 'closed' }))).toBe('closed');
    expect(formatDelay(300)).toBe('300 ms');
    expect(formatDelay(12_000)).toBe('12 s');
  });

  it('a closed or failed connection is over; a reconnecting one is still open', () => {
    expect(isOpen(info({ state: 'reconnecting' }))).toBe(true);
    expect(isOpen(info({ state: 'closed' }))).toBe(false);
    expect(isOpen(info({ state: 'failed' }))).toBe(false);
  });
});

describe('ConnectionsModel', () => {
  it('loads profiles with their problems, the open connections and the sandbox', async () => {
    const fake = new FakeApi();
    fake.connections = [info()];
    fake.extra.listProfiles = () =>
      Promise.resolve({
        profiles: [profile('sandbox', true), profile('p1')],
        problems: [{ kind: 'rejected-entry', message: 'entry 3 has no servers', index: 2 }],
        secretsPersistent: true,
      });
    const model = new ConnectionsModel(fake.api);
    await model.load();
    expect(model.state.profiles.map((p) => p.id)).toEqual(['sandbox', 'p1']);
    expect(model.state.profileProblems[0]?.message).toBe('entry 3 has no servers');
    expect(model.state.connections.map((c) => c.info.connectionId)).toEqual(['c1']);
    expect(model.state.connections[0]?.events.map((e) => e.text)).toEqual(['logged on to server 1']);
    expect(model.state.sandbox?.state).toBe('running');
  });

  it('logs every state change of a connection with its time, newest last, bounded', () => {
    const fake = new FakeApi();
    const model = new ConnectionsModel(fake.api);
    fake.emitStatus(status({ state: 'connecting', at: 1 }));
    fake.emitStatus(status({ state: 'loggedOn', at: 2 }));
    fake.emitStatus(
      status({ state: 'disconnected', at: 3, error: { name: 'E', message: 'reset by peer', code: 'x', retriable: true } }),
    );
    fake.emitStatus(status({ state: 'reconnecting', at: 4, retryInMs: 200, attempt: 1 }));
    fake.emitStatus(status({ state: 'failedOver', at: 5, serverIndex: 1 }));
    const entry = model.connection('c1');
    expect(entry?.info.state).toBe('failedOver');
    expect(entry?.events).toEqual([
      { at: 1, state: 'connecting', text: 'connecting to server 1…' },
      { at: 2, state: 'loggedOn', text: 'logged on to server 1' },
      { at: 3, state: 'disconnected', text: 'disconnected: reset by peer', error: 'reset by peer' },
      { at: 4, state: 'reconnecting', text: 'reconnecting in 200 ms (attempt 1)' },
      { at: 5, state: 'failedOver', text: 'failed over to server 2' },
    ]);
    for (let i = 0; i < MAX_EVENTS + 10; i++) {
      fake.emitStatus(status({ state: i % 2 === 0 ? 'heartbeatMissed' : 'loggedOn', at: 10 + i }));
    }
    expect(model.connection('c1')?.events).toHaveLength(MAX_EVENTS);
    expect(model.connection('c1')?.events.at(-1)?.at).toBe(10 + MAX_EVENTS + 9);
  });

  it('folds the same state repeated in a row into one line that counts it', () => {
    const fake = new FakeApi();
    const model = new ConnectionsModel(fake.api);
    // An HA client reports "connecting" once per step of its attempt.
    fake.emitStatus(status({ state: 'connecting', at: 1 }));
    fake.emitStatus(status({ state: 'connecting', at: 2 }));
    // The same words with the last error attached: still the same line for the user.
    fake.emitStatus(
      status({ state: 'connecting', at: 3, error: { name: 'E', message: 'refused', code: 'x', retriable: true } }),
    );
    fake.emitStatus(status({ state: 'loggedOn', at: 4 }));
    fake.emitStatus(status({ state: 'connecting', at: 5 }));
    expect(model.connection('c1')?.events).toEqual([
      { at: 1, state: 'connecting', text: 'connecting to server 1…', repeats: 3, lastAt: 3, error: 'refused' },
      { at: 4, state: 'loggedOn', text: 'logged on to server 1' },
      { at: 5, state: 'connecting', text: 'connecting to server 1…' },
    ]);
  });

  it('opens a profile; a status event newer than the answer wins', async () => {
    const fake = new FakeApi();
    fake.openConnection = () => {
      // The connection logs on before openConnection answers with its first state.
      fake.emitStatus(status({ connectionId: 'c7', state: 'loggedOn', at: 5 }));
      return Promise.resolve(info({ connectionId: 'c7', state: 'connecting' }));
    };
    const model = new ConnectionsModel(fake.api);
    const opened = await model.openProfile('p1');
    expect(opened?.connectionId).toBe('c7');
    expect(model.connection('c7')?.info.state).toBe('loggedOn');
    expect(model.state.opening).toEqual([]);
  });

  it('reports a failed open with the profile name and the reason', async () => {
    const fake = new FakeApi();
    fake.extra.listProfiles = () => Promise.resolve({ profiles: [profile('prod')], problems: [], secretsPersistent: false });
    fake.openConnection = () => Promise.reject(new Error('connection refused'));
    const model = new ConnectionsModel(fake.api);
    await model.refreshProfiles();
    expect(await model.openProfile('prod')).toBeUndefined();
    expect(model.state.error).toBe('Could not open prod: connection refused');
  });

  it('reconnects now, disconnects, and forgets a closed connection', async () => {
    const fake = new FakeApi();
    fake.extra.reconnectConnection = ({ connectionId }) =>
      Promise.resolve(info({ connectionId, state: 'connecting', attempt: 2 }));
    const model = new ConnectionsModel(fake.api);
    fake.emitStatus(status({ state: 'reconnecting', retryInMs: 20_000, attempt: 1 }));
    await model.reconnect('c1');
    expect(model.connection('c1')?.info.state).toBe('connecting');
    await model.close('c1');
    expect(fake.named('closeConnection')).toEqual([{ connectionId: 'c1' }]);
    model.forget('c1');
    expect(model.state.connections).toEqual([]);
  });

  it('reorders saved profiles, keeping built-in ones out of the order', async () => {
    const fake = new FakeApi();
    const orders: string[][] = [];
    fake.extra.listProfiles = () =>
      Promise.resolve({ profiles: [profile('sandbox', true), profile('a'), profile('b'), profile('c')], problems: [], secretsPersistent: false });
    fake.extra.reorderProfiles = ({ ids }) => {
      orders.push(ids);
      return Promise.resolve();
    };
    const model = new ConnectionsModel(fake.api);
    await model.refreshProfiles();
    await model.moveProfile('c', -1);
    await model.moveProfile('a', -1);
    expect(orders).toEqual([['a', 'c', 'b']]);
    await settle();
  });
});
