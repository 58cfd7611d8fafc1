import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { TopicList } from '../../common/src/dto/topics.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import { createBackend } from '../main/backend.js';
import type { Backend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';

const APP = 'app://explorer/index.html';
let dir: string;
let sandbox: SandboxServer;
let backend: Backend;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-backend-disc-'));
  sandbox = await createSandboxServer({ port: 0, wsPort: 0, adminPort: null, logger: silentLogger });
  backend = createBackend({
    mode: 'browser',
    version: '0',
    userDataDir: dir,
    cipher: createMemoryCipher(),
    factory: clientConnectionFactory,
    logger: memoryLogger(),
    allowedOrigins: ['app://explorer'],
    batchIntervalMs: 16,
  });
  backend.hub.register('window:1', { send: () => undefined });
  backend.hub.register('window:2', { send: () => undefined });
});
afterEach(async () => {
  await backend.shutdown();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const call = async (name: Parameters<Backend['wrapper']>[0], payload?: unknown, clientId = 'window:1') => {
  const envelope = await backend.wrapper(name, { senderUrl: APP, clientId, payload });
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.value;
};

describe('backend: topics seen on a connection, workspace, profiles', () => {
  it('lists the topics of the messages a subscription received, for the connection owner only', async () => {
    const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
    const { connectionId } = (await call('openConnection', { connectionString: uri })) as {
      connectionId: string;
    };
    await call('subscribe', { connectionId, topic: '^orders', mode: 'subscribe' });
    const publisher = new Client('publisher');
    await publisher.connect(uri);
    await publisher.logon();
    publisher.publish('orders', '{"id":1}');
    publisher.publish('orders_eu', '{"id":2}');
    publisher.publish('orders', '{"id":3}');
    publisher.publish('trades', '{"id":4}');
    await publisher.flush(5000);
    await publisher.close();

    let list: TopicList | undefined;
    for (let i = 0; i < 100; i += 1) {
      list = (await call('listTopics', { connectionId })) as TopicList;
      if ((list.topics.find((t) => t.name === 'orders')?.messageCount ?? 0) >= 2 && list.topics.length >= 2)
        break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(list).toEqual({
      source: 'seen',
      topics: [
        { name: 'orders', messageCount: 2 },
        { name: 'orders_eu', messageCount: 1 },
      ],
    });
    await expect(call('listTopics', { connectionId }, 'window:2')).rejects.toThrow(/is not open/);
  });

  it('round-trips the workspace and the profile list through the request wrapper', async () => {
    expect(await call('loadWorkspace')).toEqual({ state: null });
    const state = { version: 1, data: { theme: 'light', tabs: [{ kind: 'publish', topic: 'orders' }] } };
    await call('saveWorkspace', { state });
    expect(await call('loadWorkspace')).toEqual({ state });

    const saved = (await call('saveProfile', {
      name: 'Two',
      servers: ['tcp://a:1/amps/json', 'tcp://b:1/amps/json'],
      password: 'pw',
    })) as {
      id: string;
    };
    const copy = (await call('duplicateProfile', { id: saved.id })) as { id: string };
    await call('reorderProfiles', { ids: [copy.id, saved.id] });
    const listed = (await call('listProfiles')) as {
      profiles: { name: string }[];
      secretsPersistent: boolean;
    };
    expect(listed.profiles.map((p) => p.name)).toEqual(['Two (copy)', 'Two']);
    expect(listed.secretsPersistent).toBe(false);
    const exported = (await call('exportProfiles', { includePasswords: false })) as { json: string };
    expect(exported.json).not.toContain('"pw"');
    await expect(call('importProfiles', { fileName: 'x.json', json: exported.json })).resolves.toMatchObject({
      added: 0,
    });
  });
});
