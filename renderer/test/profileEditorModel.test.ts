import { describe, expect, it } from 'vitest';
import type { Profile, SaveProfileRequest } from '../../common/src/dto/profiles.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import {
  ProfileEditorModel,
  draftOf,
  newDraft,
  saveRequestOf,
  validateDraft,
} from '../src/connections/profileEditorModel.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function savingApi(): { api: ExplorerApi; saved: SaveProfileRequest[] } {
  const saved: SaveProfileRequest[] = [];
  const api = {
    saveProfile: (request: SaveProfileRequest) => {
      saved.push(request);
      return Promise.resolve({ id: 'p1', ...request } as unknown as Profile);
    },
  } as unknown as ExplorerApi;
  return { api, saved };
}

const stored: Profile = {
  id: 'p7',
  name: 'Prod HA',
  servers: ['tcp://a:9007/amps/json', 'tcp://b:9007/amps/json'],
  user: 'ops',
  hasPassword: true,
  clientName: 'explorer-ops',
  heartbeatSeconds: 10,
  tls: { verify: true, ca: { fileName: 'ca.pem', bytes: 1200 } },
  ha: { delay: { kind: 'fixed', delayMs: 500 }, giveUpMs: 60_000, resubscribe: false },
  bookmarkStore: { kind: 'file', path: '/var/amps/bm.log' },
  publishStore: { kind: 'memory' },
  adminUrl: 'http://a:8085/amps',
  color: 'red',
  production: true,
  builtIn: false,
  messageType: 'json',
};

describe('profile draft validation', () => {
  it('names each bad field', () => {
    const d = newDraft();
    d.servers = [
      { key: 1, text: 'tcp://h:9007/amps/json' },
      { key: 2, text: 'tcp://h:99x9/amps/json' },
    ];
    d.heartbeatSeconds = 'often';
    d.delayKind = 'exponential';
    d.initialMs = '5000';
    d.maxMs = '100';
    d.bookmarkStore = { kind: 'file', path: 'relative/bm' };
    d.adminUrl = 'ftp://x';
    const byLabel = new Map(validateDraft(d).map((e) => [e.label, e.message]));
    expect(byLabel.get('Name')).toBe('a name is required');
    expect(byLabel.get('Server 2')).toMatch(/invalid port "99x9" at position 8/);
    expect(byLabel.has('Server 1')).toBe(false);
    expect(byLabel.get('Heartbeat interval')).toMatch(/whole number from 0 to 3600/);
    expect(byLabel.get('Maximum delay')).toMatch(/not be below the initial delay \(5000 ms\)/);
    expect(byLabel.get('Bookmark store file')).toMatch(/absolute file path/);
    expect(byLabel.get('Admin URL')).toMatch(/http/);
  });

  it('accepts a complete new profile and builds its save request', () => {
    const d = newDraft();
    d.name = ' Two servers ';
    d.servers = [
      { key: 1, text: 'tcp://h1:9007/amps/json' },
      { key: 2, text: 'tcp://h2:9007/amps/json' },
    ];
    d.user = 'bob';
    d.password = 's3cret';
    d.heartbeatSeconds = '5';
    d.giveUpSeconds = '30';
    d.publishStore = { kind: 'file', path: '/tmp/pub.log' };
    expect(validateDraft(d)).toEqual([]);
    expect(saveRequestOf(d)).toEqual({
      name: 'Two servers',
      servers: ['tcp://h1:9007/amps/json', 'tcp://h2:9007/amps/json'],
      user: 'bob',
      password: 's3cret',
      heartbeatSeconds: 5,
      tls: { verify: true },
      ha: {
        delay: { kind: 'exponential', initialMs: 200, maxMs: 20000, backoff: 2, jitter: 1 },
        giveUpMs: 30_000,
        resubscribe: true,
      },
      bookmarkStore: { kind: 'none' },
      publishStore: { kind: 'file', path: '/tmp/pub.log' },
      production: false,
    });
  });

  it('round-trips a saved profile, keeping the stored password and files', () => {
    const request = saveRequestOf(draftOf(stored));
    expect(request).toEqual({
      id: 'p7',
      name: 'Prod HA',
      servers: stored.servers,
      user: 'ops',
      clientName: 'explorer-ops',
      heartbeatSeconds: 10,
      tls: { verify: true },
      ha: stored.ha,
      bookmarkStore: stored.bookmarkStore,
      publishStore: stored.publishStore,
      adminUrl: 'http://a:8085/amps',
      color: 'red',
      production: true,
    });
    expect('password' in request).toBe(false);
  });
});

describe('ProfileEditorModel', () => {
  it('adds, reorders and removes servers (at least one stays)', () => {
    const m = new ProfileEditorModel(savingApi().api);
    m.open(stored);
    m.addServer();
    m.setServer(2, 'tcp://c:9007/amps/json');
    m.moveServer(2, -1);
    expect(m.state.draft.servers.map((s) => s.text)).toEqual([
      'tcp://a:9007/amps/json',
      'tcp://c:9007/amps/json',
      'tcp://b:9007/amps/json',
    ]);
    m.moveServer(0, -1);
    expect(m.state.draft.servers[0]?.text).toBe('tcp://a:9007/amps/json');
    m.removeServer(0);
    m.removeServer(0);
    m.removeServer(0);
    expect(m.state.draft.servers.map((s) => s.text)).toEqual(['tcp://b:9007/amps/json']);
  });

  it('turns verification off only after confirmation', () => {
    const m = new ProfileEditorModel(savingApi().api);
    m.open();
    m.setVerify(false);
    expect(m.state.confirmingVerifyOff).toBe(true);
    expect(m.state.draft.tlsVerify).toBe(true);
    m.cancelVerifyOff();
    expect(m.state.draft.tlsVerify).toBe(true);
    m.setVerify(false);
    m.confirmVerifyOff();
    expect(m.state.draft.tlsVerify).toBe(false);
  });

  it('takes PEM files within 1 MiB and refuses others, naming the file', () => {
    const m = new ProfileEditorModel(savingApi().api);
    m.open(stored);
    expect(m.pickTlsFile('cert', { fileName: 'big.pem', size: 2 * 1024 * 1024 })).toMatch(
      /big.pem is larger than 1 MiB/,
    );
    expect(m.pickTlsFile('cert', { fileName: 'x.bin', size: 4, text: 'oops' })).toMatch(
      /x.bin is not PEM text/,
    );
    expect(m.pickTlsFile('cert', { fileName: 'me.pem', size: PEM.length, text: PEM })).toBeUndefined();
    m.clearTlsFile('ca');
    expect(saveRequestOf(m.state.draft).tls).toEqual({
      verify: true,
      ca: null,
      cert: { fileName: 'me.pem', pem: PEM },
    });
  });

  it('does not call the API with errors, and shows them', async () => {
    const { api, saved } = savingApi();
    const m = new ProfileEditorModel(api);
    m.open();
    expect(await m.save()).toBeUndefined();
    expect(saved).toEqual([]);
    expect(m.state.showErrors).toBe(true);
    expect(m.state.errors.map((e) => e.label)).toEqual(['Name', 'Server 1']);
  });

  it('saves, closes, and reports the main process’s refusal', async () => {
    const { api, saved } = savingApi();
    const m = new ProfileEditorModel(api);
    m.open();
    m.edit({ name: 'one', password: 'pw' });
    m.setServer(0, 'tcp://h:9007/amps/json');
    const profile = await m.save();
    expect(profile?.id).toBe('p1');
    expect(saved[0]?.password).toBe('pw');
    expect(m.state.open).toBe(false);

    const refusing = new ProfileEditorModel({
      saveProfile: () => Promise.reject(new Error('servers[0]: a connection string must not contain spaces')),
    } as unknown as ExplorerApi);
    refusing.open();
    refusing.edit({ name: 'x' });
    refusing.setServer(0, 'tcp://h:9007/amps/json');
    expect(await refusing.save()).toBeUndefined();
    expect(refusing.state.open).toBe(true);
    expect(refusing.state.saveError).toMatch(/must not contain spaces/);
  });

  it('clears a stored password only when asked', () => {
    const m = new ProfileEditorModel(savingApi().api);
    m.open(stored);
    m.edit({ clearPassword: true });
    expect(saveRequestOf(m.state.draft).password).toBeNull();
  });
});
