/** HAClient connect loop: walking the server chooser, giving up with every server's error, state changes. */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DisconnectedError, UsageError } from '../../src/errors.js';
import { FixedDelayStrategy } from '../../src/ha/delayStrategy.js';
import { HAClient, HAConnectionError, type HAConnectionStatus } from '../../src/ha/haClient.js';
import {
  closeOpened,
  deadPort,
  keepOpen,
  scriptedServer,
  testHAClient,
  uriOf,
  waitFor,
} from './haClientHelpers.js';

afterEach(closeOpened);

const server = scriptedServer;

function haClient(name: string, uris: string[], delay = new FixedDelayStrategy(10, 2000)): HAClient {
  return testHAClient(name, uris, { delayStrategy: delay });
}

function record(ha: HAClient): HAConnectionStatus[] {
  const states: HAConnectionStatus[] = [];
  ha.addConnectionStateListener((s) => states.push(s));
  return states;
}

describe('HAClient connect loop', () => {
  it('walks the chooser past servers that refuse until one accepts', async () => {
    const [d1, d2] = [await deadPort(), await deadPort()];
    const live = await server();
    const ha = haClient('walker', [uriOf(d1), uriOf(d2), live.uri]);
    const states = record(ha);
    await ha.connectAndLogon();
    expect(ha.isConnected).toBe(true);
    expect(ha.getUri()).toBe(live.uri);
    expect(states.map((s) => `${s.state} ${s.uri ?? ''}`)).toEqual([
      `connecting ${uriOf(d1)}`,
      `connecting ${uriOf(d2)}`,
      `connecting ${live.uri}`,
      `loggedOn ${live.uri}`,
    ]);
    const logon = live.commands('logon')[0];
    expect(logon?.fields.clientName).toBe('walker');
  });

  it('gives up when every server is down, listing each server and its error', async () => {
    const ports = [await deadPort(), await deadPort(), await deadPort()];
    const ha = haClient(
      'all-down',
      ports.map((p) => uriOf(p)),
      new FixedDelayStrategy(20, 300),
    );
    const states = record(ha);
    const error = await ha.connectAndLogon().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HAConnectionError);
    const e = error as HAConnectionError;
    expect(e.message).toContain('Maximum Retry Time Exceeded');
    for (const p of ports) expect(e.message).toMatch(new RegExp(`${uriOf(p)}: [^;]*ECONNREFUSED`));
    expect(new Set(e.failures.map((f) => f.uri))).toEqual(new Set(ports.map((p) => uriOf(p))));
    expect(e.failures.length).toBeGreaterThanOrEqual(3);
    expect(states.at(-1)?.state).toBe('disconnected');
    expect(states.at(-1)?.error).toBe(error);
    expect(ha.isConnected).toBe(false);

    // A later call starts a new outage: it tries every server again before giving up.
    const again = await ha.connectAndLogon().then(
      () => undefined,
      (e: unknown) => e as HAConnectionError,
    );
    expect(again).toBeInstanceOf(HAConnectionError);
    expect(new Set(again?.failures.map((f) => f.uri))).toEqual(new Set(ports.map((p) => uriOf(p))));
  });

  it('has no logon of its own: connectAndLogon does it', async () => {
    const ha = haClient('no-logon', []);
    await expect(ha.logon()).rejects.toThrow(/connectAndLogon/);
  });

  it('gives up at once when the chooser has no server', async () => {
    const ha = haClient('no-servers', []);
    await expect(ha.connectAndLogon()).rejects.toThrow(/no server to try/);
  });

  it('treats a logon timeout as a failed server and moves on', async () => {
    // The first server accepts connections but never answers.
    const sockets: Socket[] = [];
    const mute = createServer((socket) => {
      sockets.push(socket.on('error', () => undefined));
    });
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    keepOpen({
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise<void>((r) => mute.close(() => r()));
      },
    });
    const mutePort = (mute.address() as AddressInfo).port;
    const live = await server();
    const ha = testHAClient('slow-logon', [uriOf(mutePort), live.uri], { timeoutMs: 200 });
    const states = record(ha);
    await ha.connectAndLogon();
    expect(ha.getUri()).toBe(live.uri);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connecting', 'loggedOn']);
  });

  it('close() during the connect loop ends it promptly', async () => {
    const port = await deadPort();
    const ha = haClient('closer', [uriOf(port)], new FixedDelayStrategy(60_000));
    const states = record(ha);
    const pending = ha.connectAndLogon();
    await waitFor('a first attempt', () => states.length > 0);
    await ha.close();
    await expect(pending).rejects.toBeInstanceOf(DisconnectedError);
    expect(states.at(-1)?.state).toBe('closed');
    expect(() => ha.publish('t', 'x')).toThrow(UsageError);
  });

  it('reports every step of a drop, failover and close to the state listeners', async () => {
    const a = await server();
    const b = await server();
    const [aUri, bUri] = [a.uri, b.uri];
    const ha = haClient('stateful', [aUri, bUri]);
    const states = record(ha);
    const seen: string[] = [];
    ha.setDisconnectHandler((client, error) => seen.push(`${client.getName()}: ${error.name}`));
    await ha.connectAndLogon();
    await ha.subscribe('orders');
    await a.close();
    await waitFor('resubscribed', () => states.some((s) => s.state === 'resubscribed'));
    expect(ha.getUri()).toBe(bUri);
    await ha.close();
    expect(states.map((s) => `${s.state} ${s.uri ?? ''}`.trim())).toEqual([
      `connecting ${aUri}`,
      `loggedOn ${aUri}`,
      `disconnected ${aUri}`,
      `reconnecting ${aUri}`,
      `connecting ${aUri}`,
      `connecting ${bUri}`,
      `loggedOn ${bUri}`,
      `failedOver ${bUri}`,
      `resubscribed ${bUri}`,
      'closed',
    ]);
    expect(states[2]?.error).toBeInstanceOf(DisconnectedError);
    expect(seen).toEqual(['stateful: DisconnectedError']);
    expect(b.commands('subscribe')).toHaveLength(1);
  });

  it('rejects bad options with a message naming them', () => {
    expect(() => new HAClient('x', { timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => new HAClient('')).toThrow(/client name/);
  });

  it('moves on when a server refuses the logon, and names the refusal when giving up', async () => {
    const refusing = await server();
    refusing.logonFailure = 'auth failure';
    const live = await server();
    const ha = haClient('refused', [refusing.uri, live.uri]);
    await ha.connectAndLogon();
    expect(ha.getUri()).toBe(live.uri);
    expect(refusing.commands('logon')).toHaveLength(1);

    const alone = haClient('refused-alone', [refusing.uri], new FixedDelayStrategy(20, 150));
    const error = await alone.connectAndLogon().then(
      () => undefined,
      (e: unknown) => e as HAConnectionError,
    );
    expect(error?.message).toMatch(new RegExp(`${refusing.uri}: [^;]*auth`));
    expect(error?.failures[0]?.error.name).toBe('AuthenticationError');
  });
});
