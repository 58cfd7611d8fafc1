import { describe, expect, it } from 'vitest';
import { ExplorerError } from '../../common/src/ipc/errors.js';
import { ConnectionModel, canConnect, isUsable } from '../src/connections/connectionModel.js';
import type { ConnectionStatusEvent } from '../../common/src/dto/connections.js';
import { FakeApi, settle } from './fakes.js';

/** A status event with the fields a test does not care about filled in. */
const status = (e: Pick<ConnectionStatusEvent, 'connectionId' | 'state' | 'at'> & Partial<ConnectionStatusEvent>): ConnectionStatusEvent => ({
  name: 'x',
  connectionString: 'tcp://h:1/amps/json',
  servers: ['tcp://h:1/amps/json'],
  openedAt: 0,
  ...e,
});

describe('ConnectionModel', () => {
  it('validates the connection string live and points at the offending part', () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    model.setText('tcp://127.0.0.1:99999/amps/json');
    const problem = model.state.problem;
    expect(problem?.part).toBe('port');
    expect(model.state.text.slice(problem?.position, (problem?.position ?? 0) + (problem?.length ?? 0))).toBe(
      '99999',
    );
    model.setText('tcp://127.0.0.1:9007/amps/json');
    expect(model.state.problem).toBeUndefined();
    model.setText('   ');
    expect(model.state.problem).toBeUndefined();
  });

  it('refuses to connect with an empty or invalid string, without calling the API', async () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    await model.connect();
    expect(model.state.error).toMatch(/Type a connection string/);
    model.setText('tcp://127.0.0.1:port/amps/json');
    await model.connect();
    expect(model.state.error).toMatch(/Fix the connection string first: invalid port/);
    expect(fake.named('openConnection')).toEqual([]);
  });

  it('connects with the typed string and password, then follows status events', async () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    model.setText('tcp://127.0.0.1:9007/amps/json');
    model.setPassword('secret');
    await model.connect();
    expect(fake.named('openConnection')).toEqual([
      { connectionString: 'tcp://127.0.0.1:9007/amps/json', password: 'secret' },
    ]);
    expect(model.state.state).toBe('loggedOn');
    expect(isUsable(model.state)).toBe(true);
    expect(canConnect(model.state)).toBe(false);

    fake.emitStatus(status({ connectionId: 'other', state: 'closed', at: 1 }));
    expect(model.state.state).toBe('loggedOn');
    fake.emitStatus(status({
      connectionId: 'c1',
      state: 'disconnected',
      error: {
        name: 'DisconnectedError',
        message: 'socket closed by peer',
        code: 'disconnected',
        retriable: true,
      },
      at: 2,
    }));
    expect(model.state.state).toBe('disconnected');
    expect(model.state.error).toBe('socket closed by peer');
    expect(isUsable(model.state)).toBe(false);
  });

  it('applies a status event that arrived before openConnection answered', async () => {
    const fake = new FakeApi();
    let answer: (() => void) | undefined;
    fake.openConnection = () =>
      new Promise((resolve) => {
        answer = () =>
          resolve({
            connectionId: 'c9',
            name: 'x',
            connectionString: 'tcp://h:1/amps/json',
            servers: ['tcp://h:1/amps/json'],
            state: 'connecting',
            openedAt: 0,
          });
      });
    const model = new ConnectionModel(fake.api);
    model.setText('tcp://h:1/amps/json');
    const done = model.connect();
    fake.emitStatus(status({ connectionId: 'c9', state: 'loggedOn', at: 1 }));
    answer?.();
    await done;
    expect(model.state.state).toBe('loggedOn');
  });

  it('shows the server error when the connection fails', async () => {
    const fake = new FakeApi();
    fake.openConnection = () =>
      Promise.reject(
        new ExplorerError({
          name: 'ConnectionRefusedError',
          message: 'connect ECONNREFUSED 127.0.0.1:9007',
          code: 'refused',
        }),
      );
    const model = new ConnectionModel(fake.api);
    model.setText('tcp://127.0.0.1:9007/amps/json');
    await model.connect();
    expect(model.state.state).toBe('failed');
    expect(model.state.error).toBe('connect ECONNREFUSED 127.0.0.1:9007');
    expect(canConnect(model.state)).toBe(true);
  });

  it('connects to the local sandbox through its built-in profile', async () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    await model.connectSandbox();
    expect(fake.named('openConnection')).toEqual([{ profileId: 'sandbox' }]);
    expect(model.state.text).toBe('tcp://127.0.0.1:41234/amps/json');
    expect(model.state.state).toBe('loggedOn');
  });

  it('says why the sandbox cannot be used', async () => {
    const fake = new FakeApi();
    fake.sandbox = {
      state: 'failed',
      connectionStrings: [],
      error: { name: 'Error', message: 'port 9007 in use', code: 'error', retriable: false },
    };
    const model = new ConnectionModel(fake.api);
    await model.connectSandbox();
    expect(model.state.error).toBe('The local sandbox is failed: port 9007 in use');
    expect(fake.named('openConnection')).toEqual([]);
  });

  it('disconnects the connection in use', async () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    await model.connectSandbox();
    await model.disconnect();
    expect(fake.named('closeConnection')).toEqual([{ connectionId: 'c1' }]);
    expect(model.state.state).toBe('closed');
    expect(canConnect(model.state)).toBe(true);
  });

  it('adopts an open connection on load (after a page reload) and reports the sandbox', async () => {
    const fake = new FakeApi();
    fake.connections = [
      {
        connectionId: 'c5',
        name: 'n',
        connectionString: 'tcp://h:2/amps/json',
        servers: ['tcp://h:2/amps/json'],
        state: 'loggedOn',
        openedAt: 0,
      },
    ];
    const model = new ConnectionModel(fake.api);
    await model.load();
    expect(model.state.connection?.connectionId).toBe('c5');
    expect(model.state.text).toBe('tcp://h:2/amps/json');
    expect(model.state.sandbox?.state).toBe('running');
  });

  it('follows the sandbox status as it changes', () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    fake.emitSandbox({ state: 'starting', connectionStrings: [] });
    expect(model.state.sandbox?.state).toBe('starting');
  });

  it('stops listening on dispose', async () => {
    const fake = new FakeApi();
    const model = new ConnectionModel(fake.api);
    expect(fake.statusListeners.size + fake.sandboxListeners.size).toBe(2);
    model.dispose();
    expect(fake.statusListeners.size + fake.sandboxListeners.size).toBe(0);
    await settle();
  });
});
