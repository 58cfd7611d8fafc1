import { describe, expect, it } from 'vitest';
import { EventHub } from '../main/ipc/eventHub.js';
import { createSafeStorageCipher } from '../main/platform/safeStorage.js';
import type { SafeStorageLike } from '../main/platform/safeStorage.js';

const safeStorage = (available: boolean, backend?: string): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(`enc(${[...s].reverse().join('')})`),
  decryptString: (b) => {
    const m = /^enc\((.*)\)$/s.exec(b.toString());
    if (m === null) throw new Error('cannot decrypt');
    return [...(m[1] ?? '')].reverse().join('');
  },
  ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
});

// Long enough that random ciphertext never contains it by chance (a two-letter secret did).
const SECRET = 'correct-horse-battery-staple';

describe('secret ciphers', () => {
  it('encrypts with safeStorage when available and reports it persistent', () => {
    const cipher = createSafeStorageCipher(safeStorage(true, 'gnome_libsecret'));
    expect(cipher.info).toEqual({ persistent: true, backend: 'safeStorage:gnome_libsecret' });
    const secret = cipher.encrypt(SECRET);
    expect(secret.scheme).toBe('safeStorage');
    expect(secret.data).not.toContain(SECRET);
    expect(cipher.decrypt(secret)).toBe(SECRET);
    expect(
      cipher.decrypt({ scheme: 'safeStorage', data: Buffer.from('garbage').toString('base64') }),
    ).toBeUndefined();
    expect(cipher.decrypt({ scheme: 'memory', data: 'x' })).toBeUndefined();
  });

  it('falls back to memory (not persistent) when safeStorage is unavailable', () => {
    const cipher = createSafeStorageCipher(safeStorage(false));
    expect(cipher.info).toEqual({ persistent: false, backend: 'memory' });
    const secret = cipher.encrypt(SECRET);
    expect(secret.scheme).toBe('memory');
    expect(secret.data).not.toContain(SECRET);
    expect(cipher.decrypt(secret)).toBe(SECRET);
  });
});

describe('EventHub', () => {
  it('sends only to registered clients, to one or to all', () => {
    const hub = new EventHub();
    const got: string[] = [];
    hub.register('w1', { send: (c) => got.push(`w1 ${c}`) });
    const off = hub.register('w2', { send: (c) => got.push(`w2 ${c}`) });
    hub.emit('onConnectionStatus', {
      connectionId: 'c',
      name: 'c',
      connectionString: 'tcp://h:1/amps/json',
      servers: ['tcp://h:1/amps/json'],
      state: 'closed',
      openedAt: 0,
      at: 0,
    });
    hub.emit(
      'onSubscriptionEnded',
      { subscriptionId: 's', reason: 'unsubscribed', received: 0, delivered: 0, dropped: 0 },
      'w2',
    );
    hub.emit(
      'onSubscriptionEnded',
      { subscriptionId: 's', reason: 'unsubscribed', received: 0, delivered: 0, dropped: 0 },
      'w9',
    );
    off();
    hub.emit('onConnectionStatus', {
      connectionId: 'c',
      name: 'c',
      connectionString: 'tcp://h:1/amps/json',
      servers: ['tcp://h:1/amps/json'],
      state: 'closed',
      openedAt: 0,
      at: 0,
    });
    expect(got).toEqual([
      'w1 amps:onConnectionStatus',
      'w2 amps:onConnectionStatus',
      'w2 amps:onSubscriptionEnded',
      'w1 amps:onConnectionStatus',
    ]);
  });

  it('tells listeners once when a client goes away', () => {
    const hub = new EventHub();
    const gone: string[] = [];
    hub.onClientGone((id) => gone.push(id));
    hub.register('w1', { send: () => undefined });
    hub.unregister('w1');
    hub.unregister('w1');
    expect(gone).toEqual(['w1']);
    expect(hub.has('w1')).toBe(false);
  });
});
