import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError, UsageError } from '../../src/errors.js';
import { FileBookmarkStore } from '../../src/stores/bookmark/fileBookmarkStore.js';
import { RingBookmarkStore } from '../../src/stores/bookmark/ringBookmarkStore.js';
import { FilePublishStore } from '../../src/stores/publish/filePublishStore.js';
import { HybridPublishStore } from '../../src/stores/publish/hybridPublishStore.js';
import { StoreCorruptError } from '../../src/stores/storeErrors.js';
import { StoreLock, parseStoreLock, storeLockPath, type StoreLockOwner } from '../../src/stores/storeLock.js';
import { go, killHolder, startHolder, stopHolder, type HolderKind } from './fixtures/holderChild.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('lock');

type Closable = { close(): void };
const OPENERS: Record<HolderKind, (file: string) => Closable> = {
  bookmark: (file) => new FileBookmarkStore(file),
  ring: (file) => new RingBookmarkStore(file),
  publish: (file) => new FilePublishStore(file),
  hybrid: (file) => new HybridPublishStore(file),
};

/** Runs `open`, expecting the `store locked` UsageError; returns its message. */
function lockedMessage(open: () => unknown): string {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('store locked');
    return (error as Error).message;
  }
  return expect.unreachable('opening should have been refused');
}

function owner(file: string): StoreLockOwner {
  const parsed = parseStoreLock(fs.readFileSync(storeLockPath(file)));
  if (typeof parsed === 'string') return expect.unreachable(parsed);
  return parsed;
}

function writeLock(file: string, content: string | Record<string, unknown>): void {
  fs.writeFileSync(storeLockPath(file), typeof content === 'string' ? content : JSON.stringify(content));
}

describe.each(Object.keys(OPENERS) as HolderKind[])('store lock of the %s store', (kind) => {
  const open = OPENERS[kind];

  it('refuses a second open in the same process, naming the file and this pid', () => {
    const file = path.join(tempDir(), `${kind}.store`);
    const first = open(file);
    try {
      expect(owner(file).pid).toBe(process.pid);
      const message = lockedMessage(() => open(file));
      expect(message).toContain(file);
      expect(message).toContain(`pid ${process.pid}`);
      expect(message).toContain(`${fs.realpathSync(file)}.lock`);
    } finally {
      first.close();
    }
  });

  it('opens again after close, and close removes the lock file', () => {
    const file = path.join(tempDir(), `${kind}.store`);
    open(file).close();
    expect(fs.existsSync(storeLockPath(file))).toBe(false);
    const again = open(file);
    expect(fs.existsSync(storeLockPath(file))).toBe(true);
    again.close();
    again.close();
    expect(fs.existsSync(storeLockPath(file))).toBe(false);
  });
});

describe('store lock in one process', () => {
  it('lets exactly one of two racing opens win', async () => {
    const file = path.join(tempDir(), 'race.log');
    const results = await Promise.allSettled([
      Promise.resolve().then(() => new FileBookmarkStore(file)),
      Promise.resolve().then(() => new FileBookmarkStore(file)),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(UsageError);
    (won[0] as PromiseFulfilledResult<FileBookmarkStore>).value.close();
  });

  it('locks one file reached through a symbolic link and through its real path', () => {
    const dir = tempDir();
    const real = path.join(dir, 'real.log');
    const link = path.join(dir, 'link.log');
    new FilePublishStore(real).close();
    fs.symlinkSync(real, link);
    const store = new FilePublishStore(link);
    try {
      expect(lockedMessage(() => new FilePublishStore(real))).toContain(real);
    } finally {
      store.close();
    }
  });

  it('releases the lock when opening fails on a corrupt store file', () => {
    const file = path.join(tempDir(), 'foreign.log');
    fs.writeFileSync(file, 'not a store file');
    expect(() => new FileBookmarkStore(file)).toThrow(StoreCorruptError);
    expect(fs.existsSync(storeLockPath(file))).toBe(false);
    expect(() => new FilePublishStore(file)).toThrow(StoreCorruptError);
    expect(() => new RingBookmarkStore(file)).toThrow(StoreCorruptError);
    expect(fs.existsSync(storeLockPath(file))).toBe(false);
  });

  it('takes over a lock file with garbage content', () => {
    const file = path.join(tempDir(), 'garbage.log');
    writeLock(file, 'this is not a lock\x00\xff');
    const store = new FileBookmarkStore(file);
    try {
      expect(owner(file).pid).toBe(process.pid);
    } finally {
      store.close();
    }
    writeLock(file, '');
    new FileBookmarkStore(file).close();
    const other = path.join(path.dirname(file), 'pid0.log');
    writeLock(other, { pid: 0, started: 1, hostname: os.hostname(), token: 'x' });
    new FilePublishStore(other).close();
    expect(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.lock'))).toEqual([]);
  });

  it('takes over a lock left by an earlier process that had this pid', () => {
    const file = path.join(tempDir(), 'reused.log');
    writeLock(file, { pid: process.pid, started: 1_000, hostname: os.hostname(), token: 'old' });
    const store = new FileBookmarkStore(file);
    expect(owner(file).token).not.toBe('old');
    store.close();
  });

  it('takes over even when an earlier taker died holding the takeover claim', () => {
    const file = path.join(tempDir(), 'claimed.log');
    const stale = 'garbage';
    writeLock(file, stale);
    const digest = createHash('sha256').update(stale).digest('hex').slice(0, 16);
    const claim = `${storeLockPath(file)}.takeover-${digest}`;
    fs.writeFileSync(
      claim,
      JSON.stringify({ pid: process.pid, started: 1, hostname: os.hostname(), token: 't' }),
    );
    const store = new FileBookmarkStore(file);
    try {
      expect(owner(file).pid).toBe(process.pid);
      expect(fs.existsSync(claim)).toBe(false);
    } finally {
      store.close();
    }
  });

  it('mentions a corrupt lock only when it could not be taken over (a live taker holds the claim)', () => {
    const file = path.join(tempDir(), 'busy.log');
    writeLock(file, 'not json');
    const digest = createHash('sha256').update('not json').digest('hex').slice(0, 16);
    const claim = `${storeLockPath(file)}.takeover-${digest}`;
    const started = Date.now() - process.uptime() * 1000;
    fs.writeFileSync(
      claim,
      JSON.stringify({ pid: process.pid, started, hostname: os.hostname(), token: 'live' }),
    );
    const message = lockedMessage(() => new FilePublishStore(file));
    expect(message).toContain(file);
    expect(message).toContain('holding no valid owner (the lock file does not hold JSON)');
    expect(message).toContain('could not be taken over');
    fs.rmSync(claim);
    new FilePublishStore(file).close();
  });

  it('never takes over a lock written on another host, and says which host', () => {
    const file = path.join(tempDir(), 'remote.log');
    writeLock(file, { pid: 2_147_483_000, started: 1, hostname: 'elsewhere.invalid', token: 'r' });
    const message = lockedMessage(() => new FileBookmarkStore(file));
    expect(message).toContain('a process on host elsewhere.invalid (pid 2147483000,');
    expect(message).toContain(file);
  });

  it('reports a directory where the lock cannot be created as a StoreError', () => {
    const file = path.join(tempDir(), 'missing', 'dir', 'b.log');
    expect(() => StoreLock.acquire(file)).toThrow(StoreError);
    expect(() => StoreLock.acquire(file)).toThrow(
      /cannot lock store file .*b\.log with the lock file .*b\.log\.lock: ENOENT/,
    );
  });

  it('exposes the lock as an object that releases once', () => {
    const file = path.join(tempDir(), 'plain.log');
    const lock = StoreLock.acquire(file);
    expect(lock.isHeld).toBe(true);
    expect(lock.lockFile).toBe(storeLockPath(file));
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
    lock.release();
    expect(lock.isHeld).toBe(false);
    expect(fs.existsSync(lock.lockFile)).toBe(false);
  });
});

describe('parseStoreLock', () => {
  const good = { pid: 42, started: 1_700_000_000_000, hostname: 'h', token: 'abc' };
  it('accepts a valid owner and names what is wrong with anything else', () => {
    expect(parseStoreLock(Buffer.from(JSON.stringify(good)))).toEqual(good);
    expect(parseStoreLock(Buffer.alloc(0))).toBe('the lock file is empty');
    expect(parseStoreLock(Buffer.from('12345'))).toBe('the lock file does not hold an object');
    expect(parseStoreLock(Buffer.from('pid'))).toBe('the lock file does not hold JSON');
    for (const pid of [0, -1, 1.5, '42', null]) {
      expect(parseStoreLock(Buffer.from(JSON.stringify({ ...good, pid })))).toMatch(/no valid pid/);
    }
    expect(parseStoreLock(Buffer.from(JSON.stringify({ ...good, token: '' })))).toMatch(/token/);
  });
});

describe('store lock across processes', () => {
  it('refuses while a child holds the store, and takes the lock over once the child is killed', async () => {
    const file = path.join(tempDir(), 'held.log');
    const holder = await startHolder('bookmark', file);
    try {
      expect(holder.line).toBe(`opened ${holder.child.pid}`);
      const message = lockedMessage(() => new FileBookmarkStore(file));
      expect(message).toContain(file);
      expect(message).toContain(`another process (pid ${holder.child.pid},`);
    } finally {
      await killHolder(holder);
    }
    expect(owner(file).pid).toBe(holder.child.pid);
    const store = new FileBookmarkStore(file);
    try {
      expect(owner(file).pid).toBe(process.pid);
      const child = await startHolder('bookmark', file);
      await stopHolder(child);
      expect(child.line).toMatch(new RegExp(`^refused store locked .*pid ${process.pid}\\b`));
    } finally {
      store.close();
    }
  });

  it('removes the lock on exit when the process ends without closing the store', async () => {
    const file = path.join(tempDir(), 'left.log');
    const holder = await startHolder('publish', file, 'leave');
    expect(holder.line).toBe(`opened ${holder.child.pid}`);
    expect(fs.existsSync(storeLockPath(file))).toBe(true);
    await stopHolder(holder);
    expect(fs.existsSync(storeLockPath(file))).toBe(false);
  });

  it('lets exactly one of three processes racing for a stale lock win', async () => {
    const file = path.join(tempDir(), 'contended.log');
    writeLock(file, 'stale garbage');
    const holders = await Promise.all([1, 2, 3].map(() => startHolder('bookmark', file, 'race')));
    try {
      expect(holders.map((h) => h.line)).toEqual(['waiting', 'waiting', 'waiting']);
      const lines = await Promise.all(holders.map(go));
      const winners = holders.filter((h, i) => lines[i] === `opened ${h.child.pid}`);
      expect(winners).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('refused store locked '))).toHaveLength(2);
      expect(owner(file).pid).toBe(winners[0]?.child.pid);
    } finally {
      await Promise.all(holders.map(stopHolder));
    }
    expect(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.lock'))).toEqual([]);
  });
});
