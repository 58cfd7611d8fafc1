/**
 * A window as an owner, in plain Node: the window's events (fake webContents and window) drive
 * the real backend. A crashed page keeps its connection, subscription and publish jobs for the
 * grace period and loses them all, connections included, if no reload comes; a reload within
 * it attaches them again; a closed window releases everything at once. Jobs a reloaded page
 * does not claim end with the reason on their last progress.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublishJobInfo, PublishProgress } from '../../common/src/dto/publish.js';
import { createBackend } from '../main/backend.js';
import type { Backend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { OwnerLifecycle } from '../main/services/owners.js';
import { CRASH_WINDOW_MS, MAX_CRASH_RELOADS, bindWindowOwner } from '../main/windowOwner.js';
import type { OwnerContents, OwnerWindow } from '../main/windowOwner.js';
import { fakeFactory } from './fakes.js';

const GRACE_MS = 150;
const ATTACH_MS = 150;
const APP = 'app://explorer/index.html';
const WIN = 'window:7';

/**
 * A fake window and its webContents that the test makes fire events. `reloads` counts the
 * page reloads asked for; with `pageComesBack` a reload starts loading the page, as Electron's does.
 */
function fakeWindow(pageComesBack: boolean) {
  const listeners = new Map<string, (...args: never[]) => void>();
  const on = (event: string, listener: (...args: never[]) => void): unknown => listeners.set(event, listener);
  const fire = (event: string, ...args: unknown[]): void =>
    (listeners.get(event) as ((...a: unknown[]) => void) | undefined)?.(...args);
  const state = { reloads: 0 };
  const reload = (): void => {
    state.reloads++;
    if (pageComesBack) fire('did-start-loading');
  };
  return {
    state,
    win: { on } as unknown as OwnerWindow,
    contents: { on, reload } as unknown as OwnerContents,
    crash: (reason = 'crashed') => fire('render-process-gone', {}, { reason }),
    reload: () => fire('did-start-loading'),
    close: () => fire('closed'),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, what: string, ms = 3000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

let dir: string;
let backend: Backend;
let factory: ReturnType<typeof fakeFactory>;
let events: Array<[string, unknown]>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-window-owner-'));
  factory = fakeFactory();
  backend = createBackend({
    mode: 'electron',
    version: '0.0.0-test',
    userDataDir: dir,
    cipher: createMemoryCipher(),
    factory,
    logger: memoryLogger(),
    allowedOrigins: ['app://explorer'],
    batchIntervalMs: 16,
    ownerGraceMs: GRACE_MS,
    attachDeadlineMs: ATTACH_MS,
  });
  events = [];
  backend.hub.register(WIN, { send: (channel, payload) => events.push([channel, payload]) });
});

afterEach(async () => {
  await backend.shutdown();
  await rm(dir, { recursive: true, force: true });
});

async function call<T>(name: Parameters<Backend['wrapper']>[0], payload?: unknown): Promise<T> {
  const answer = await backend.wrapper(name, { senderUrl: APP, clientId: WIN, payload });
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
}

/** A window with a connection, a subscription and a slow repeat publish job. */
async function busyWindow(pageComesBack = false) {
  const w = fakeWindow(pageComesBack);
  bindWindowOwner(w.win, w.contents, WIN, {
    reloaded: (id) => backend.ownerReloaded(id),
    pageLost: (id) => backend.ownerPageLost(id),
    closed: (id) => backend.hub.unregister(id),
  });
  w.reload(); // the first load
  const { connectionId } = await call<{ connectionId: string }>('openConnection', {
    connectionString: 'tcp://127.0.0.1:9007/amps/json',
  });
  const { subscriptionId } = await call<{ subscriptionId: string }>('subscribe', {
    connectionId,
    topic: 'orders',
    mode: 'subscribe',
  });
  const { jobId } = await call<{ jobId: string }>('publishRepeat', {
    connectionId,
    topic: 'orders',
    template: '{"seq":{{seq}}}',
    count: 100_000,
    ratePerSec: 200,
  });
  return { ...w, connectionId, subscriptionId, jobId };
}

const progressOf = (jobId: string): PublishProgress[] =>
  events
    .filter(([c, p]) => c === 'amps:onPublishProgress' && (p as PublishProgress).jobId === jobId)
    .map(([, p]) => p as PublishProgress);

describe('a window owns its connections, views and jobs', () => {
  it('a crashed page that does not come back loses everything after the grace period, connections included', async () => {
    const w = await busyWindow();
    w.crash();
    // The window tried to bring the page back, but it did not load.
    expect(w.state.reloads).toBe(1);
    // During the grace period nothing is released.
    await sleep(GRACE_MS / 3);
    expect(backend.connections.size).toBe(1);
    expect(backend.subscriptions.size).toBe(1);
    await until(() => backend.connections.size === 0, 'the connection closed');
    expect(factory.built[0]?.closed).toBe(true);
    expect(backend.subscriptions.size).toBe(0);
    await until(() => progressOf(w.jobId).some((p) => p.done), 'the job ended');
    expect(progressOf(w.jobId).at(-1)).toMatchObject({ done: true, stopped: true });
  });

  it('a page reloaded after a crash re-attaches its subscription and publish job; the connection stays', async () => {
    const w = await busyWindow(true);
    // The window reloads the crashed page at once; the page attaches what it had.
    w.crash();
    expect(w.state.reloads).toBe(1);
    const jobs = await call<PublishJobInfo[]>('listPublishJobs');
    expect(jobs).toMatchObject([{ jobId: w.jobId, kind: 'repeat', topic: 'orders', attached: false }]);
    const claimed = await call<PublishJobInfo>('attachPublishJob', { jobId: w.jobId });
    expect(claimed).toMatchObject({
      jobId: w.jobId,
      attached: true,
      progress: { total: 100_000, done: false },
    });
    await call('attachSubscription', { subscriptionId: w.subscriptionId });
    await sleep(GRACE_MS + ATTACH_MS + 100);
    expect(backend.connections.size).toBe(1);
    expect(factory.built[0]?.closed).toBe(false);
    expect(backend.subscriptions.size).toBe(1);
    const sentBefore = factory.built[0]?.published.length ?? 0;
    await sleep(100);
    // The job still publishes, and its progress reaches the page.
    expect(factory.built[0]?.published.length).toBeGreaterThan(sentBefore);
    expect(progressOf(w.jobId).every((p) => !p.done)).toBe(true);
  });

  it('a reloaded page that does not claim a job ends it, with the reason on its last progress', async () => {
    const w = await busyWindow();
    w.reload();
    await until(() => progressOf(w.jobId).some((p) => p.done), 'the unclaimed job ended');
    expect(progressOf(w.jobId).at(-1)?.error).toMatch(/no page claimed the job again after a reload/);
    expect(backend.subscriptions.size).toBe(0);
    // The connection is not a view: it stays for the page to use.
    expect(backend.connections.size).toBe(1);
  });

  it('a job that ended while the page reloaded is answered with how it ended', async () => {
    const w = await busyWindow();
    const { jobId } = await call<{ jobId: string }>('publishRepeat', {
      connectionId: w.connectionId,
      topic: 'orders',
      template: '{"seq":{{seq}}}',
      count: 20,
      ratePerSec: 1000,
    });
    w.reload();
    await until(() => progressOf(jobId).some((p) => p.done), 'the short job ended');
    const running = await call<PublishJobInfo[]>('listPublishJobs');
    expect(running.map((j) => j.jobId)).toEqual([w.jobId]);
    await expect(call('attachPublishJob', { jobId })).resolves.toMatchObject({
      jobId,
      attached: true,
      progress: { done: true, sent: 20, total: 20 },
    });
    // Told once: a second ask finds no such job.
    await expect(call('attachPublishJob', { jobId })).rejects.toThrow(/no publish job/);
  });

  it('a closed window releases its connections at once, even during a grace period', async () => {
    const w = await busyWindow();
    w.crash();
    w.close();
    await until(() => backend.connections.size === 0, 'the connection closed');
    expect(backend.subscriptions.size).toBe(0);
    expect(backend.hub.has(WIN)).toBe(false);
  });
});

describe('a bulk publish across a reload', () => {
  it('keeps publishing the uploaded file through a reload; the job owns the file', async () => {
    // Every send waits for a slow ack, so the job is still running when the page reloads.
    factory = fakeFactory((c) => {
      const publish = c.publish.bind(c);
      c.publish = async (...args: Parameters<typeof publish>) => {
        await sleep(100);
        return publish(...args);
      };
    });
    await backend.shutdown();
    backend = createBackend({
      mode: 'electron',
      version: '0.0.0-test',
      userDataDir: dir,
      cipher: createMemoryCipher(),
      factory,
      logger: memoryLogger(),
      allowedOrigins: ['app://explorer'],
      ownerGraceMs: GRACE_MS,
      attachDeadlineMs: ATTACH_MS,
    });
    backend.hub.register(WIN, { send: (channel, payload) => events.push([channel, payload]) });
    const { connectionId } = await call<{ connectionId: string }>('openConnection', {
      connectionString: 'tcp://127.0.0.1:9007/amps/json',
    });
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i })).join('\n');
    const { uploadId } = await call<{ uploadId: string }>('publishUpload', { data: lines });
    const { jobId } = await call<{ jobId: string }>('publishBulk', {
      connectionId,
      topic: 'orders',
      uploadId,
      format: 'ndjson',
      ack: 'processed',
    });
    backend.ownerReloaded(WIN);
    await expect(call('attachPublishJob', { jobId })).resolves.toMatchObject({
      kind: 'bulk',
      attached: true,
    });
    await until(() => progressOf(jobId).some((p) => p.done), 'the bulk job ended', 10_000);
    expect(progressOf(jobId).at(-1)).toMatchObject({ done: true, sent: 2000, failed: 0 });
    expect(progressOf(jobId).at(-1)?.error).toBeUndefined();
    expect(factory.built[0]?.published).toHaveLength(2000);
    // The file went with the job: it is not an upload of the page any more.
    const again = await backend.wrapper('publishBulk', {
      senderUrl: APP,
      clientId: WIN,
      payload: { connectionId, topic: 'orders', uploadId, format: 'ndjson' },
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'unknown-upload' } });
  });
});

describe('crash reloads', () => {
  it('reloads a crashed page, but not a page that keeps crashing nor one that exited on purpose', () => {
    const w = fakeWindow(false);
    let clock = 0;
    const lost: string[] = [];
    const logs: string[] = [];
    bindWindowOwner(w.win, w.contents, WIN, {
      reloaded: () => undefined,
      pageLost: (id) => lost.push(id),
      closed: () => undefined,
      log: (m) => logs.push(m),
      now: () => clock,
    });
    w.crash('clean-exit');
    expect(w.state.reloads).toBe(0);
    for (let i = 0; i < MAX_CRASH_RELOADS + 1; i++) {
      clock += 1000;
      w.crash('oom');
    }
    expect(w.state.reloads).toBe(MAX_CRASH_RELOADS);
    expect(lost).toHaveLength(MAX_CRASH_RELOADS + 2);
    expect(logs.at(-1)).toMatch(/oom\), 4 times within 60 s: not reloading it/);
    // Once the crashes are older than the window, a crash reloads again.
    clock += CRASH_WINDOW_MS;
    w.crash('crashed');
    expect(w.state.reloads).toBe(MAX_CRASH_RELOADS + 1);
  });
});

describe('owner lifecycle timers', () => {
  const resources = () => ({
    release: vi.fn((_owner: string) => Promise.resolve()),
    detach: vi.fn((_owner: string) => undefined),
    endDetached: vi.fn((_owner: string) => Promise.resolve(0)),
  });

  it('a lost page is released after the grace period unless it reloads; a window close releases at once', async () => {
    vi.useFakeTimers();
    try {
      const r = resources();
      const owners = new OwnerLifecycle({
        resources: r,
        logger: memoryLogger(),
        graceMs: 1000,
        attachDeadlineMs: 500,
      });
      owners.pageLost('window:1');
      expect(r.detach).toHaveBeenCalledWith('window:1');
      expect(owners.inGrace('window:1')).toBe(true);
      await vi.advanceTimersByTimeAsync(999);
      expect(r.release).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(r.release).toHaveBeenCalledWith('window:1');

      owners.pageLost('window:2');
      await vi.advanceTimersByTimeAsync(500);
      owners.reloaded('window:2');
      expect(owners.inGrace('window:2')).toBe(false);
      await vi.advanceTimersByTimeAsync(2000);
      expect(r.release).not.toHaveBeenCalledWith('window:2');
      expect(r.endDetached).toHaveBeenCalledWith('window:2');

      owners.pageLost('window:3');
      owners.gone('window:3');
      await vi.advanceTimersByTimeAsync(0);
      expect(r.release).toHaveBeenCalledWith('window:3');
      await vi.advanceTimersByTimeAsync(2000);
      expect(r.release.mock.calls.filter(([id]) => id === 'window:3')).toHaveLength(1);
      owners.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});
