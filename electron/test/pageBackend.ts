/**
 * A backend in browser mode over a fake client factory, made fresh for each test of a file,
 * with two pages (`page:1`, `page:2`) registered and every event they are sent recorded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createBackend } from '../main/backend.js';
import type { Backend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { fakeFactory } from './fakes.js';

/** The page origin the backend allows. */
export const ORIGIN = 'http://127.0.0.1:1';

/** What a test reads of its backend (valid inside a test, after the file's beforeEach). */
export interface PageBackend {
  readonly backend: Backend;
  readonly factory: ReturnType<typeof fakeFactory>;
  /** The backend's user data folder (removed after the test). */
  readonly dir: string;
  /** Events sent to the pages, in order: owner, channel, payload. */
  readonly events: Array<[string, string, unknown]>;
  /** A request from page `clientId`, as the browser host hands it to the backend. */
  call(clientId: string, name: Parameters<Backend['wrapper']>[0], payload?: unknown): ReturnType<Backend['wrapper']>;
}

/** Registers the beforeEach/afterEach that make and shut down the backend; `prefix` names its folder. */
export function usePageBackend(prefix: string): PageBackend {
  let backend: Backend | undefined;
  let factory: ReturnType<typeof fakeFactory> | undefined;
  let dir: string | undefined;
  const events: Array<[string, string, unknown]> = [];
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the page backend exists only inside a test');
    return value;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    factory = fakeFactory();
    const b = createBackend({
      mode: 'browser',
      version: '1',
      userDataDir: dir,
      cipher: createMemoryCipher(),
      factory,
      logger: memoryLogger(),
      allowedOrigins: [ORIGIN],
      batchIntervalMs: 16,
    });
    backend = b;
    events.length = 0;
    for (const owner of ['page:1', 'page:2'])
      b.hub.register(owner, { send: (channel, payload) => events.push([owner, channel, payload]) });
  });
  afterEach(async () => {
    await backend?.shutdown();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    backend = undefined;
  });
  return {
    get backend() {
      return made(backend);
    },
    get factory() {
      return made(factory);
    },
    get dir() {
      return made(dir);
    },
    events,
    call: (clientId, name, payload) => made(backend).wrapper(name, { senderUrl: `${ORIGIN}/index.html`, clientId, payload }),
  };
}
