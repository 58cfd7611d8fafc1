import { describe, expect, it } from 'vitest';
import type { HaStatus } from '../../common/src/dto/ha.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import {
  HaViewModel,
  countdown,
  describeDelay,
  describeEvent,
  type HaTimers,
} from '../src/ha/haViewModel.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function status(connectionId: string, n: number): HaStatus {
  return {
    connectionId,
    state: 'loggedOn',
    servers: [
      { index: 0, server: 'tcp://a:1/amps/json', current: n === 0, failures: n, logons: 1 },
      { index: 1, server: 'tcp://b:1/amps/json', current: n > 0, failures: 0, logons: n },
    ],
    currentIndex: n > 0 ? 1 : 0,
    timeline: [],
    timelineDropped: 0,
    delay: { kind: 'fixed', delayMs: 100 },
    giveUpMs: 0,
    resubscribe: true,
    publishStore: { kind: 'none', unpersisted: 0, messages: [] },
    bookmarkStore: { kind: 'none', subscriptions: [] },
    at: n,
  };
}

class ManualTimers implements HaTimers {
  readonly running = new Map<number, () => void>();
  #next = 1;
  setInterval(cb: () => void): unknown {
    const id = this.#next++;
    this.running.set(id, cb);
    return id;
  }
  clearInterval(handle: unknown): void {
    this.running.delete(handle as number);
  }
  tick(): void {
    for (const cb of this.running.values()) cb();
  }
}

function fakeApi(): { api: ExplorerApi; calls: string[]; polls: { n: number }; fail: { on: boolean } } {
  const calls: string[] = [];
  const polls = { n: 0 };
  const fail = { on: false };
  const api = {
    getHaStatus: ({ connectionId }: { connectionId: string }) => {
      calls.push(`status ${connectionId}`);
      return fail.on
        ? Promise.reject(new Error('no such connection'))
        : Promise.resolve(status(connectionId, polls.n++));
    },
    simulateFailover: ({ connectionId }: { connectionId: string }) => {
      calls.push(`simulate ${connectionId}`);
      return Promise.resolve();
    },
    reconnectConnection: ({ connectionId }: { connectionId: string }) => {
      calls.push(`reconnect ${connectionId}`);
      return Promise.reject(new Error('connection is closed'));
    },
  } as unknown as ExplorerApi;
  return { api, calls, polls, fail };
}

describe('HaViewModel', () => {
  it('polls the watched connection, and stops when it goes away', async () => {
    const timers = new ManualTimers();
    const { api, calls } = fakeApi();
    const m = new HaViewModel(api, timers);
    m.follow('c1');
    await settle();
    expect(m.state.status?.currentIndex).toBe(0);
    timers.tick();
    await settle();
    expect(m.state.status?.currentIndex).toBe(1);
    expect(calls).toEqual(['status c1', 'status c1']);
    m.follow(undefined);
    expect(timers.running.size).toBe(0);
    m.follow('c2');
    m.dispose();
    expect(timers.running.size).toBe(0);
  });

  it('runs the actions on the watched connection and reports failures', async () => {
    const timers = new ManualTimers();
    const { api, calls, fail } = fakeApi();
    const m = new HaViewModel(api, timers);
    m.follow('c1');
    await m.simulateFailover();
    expect(calls).toContain('simulate c1');
    expect(m.state.notice).toMatch(/Dropped the current server/);
    await m.reconnectNow();
    expect(m.state.actionError).toBe('Reconnect now failed: connection is closed');
    fail.on = true;
    await m.refresh();
    expect(m.state.error).toBe('Could not read the HA status: no such connection');
    m.dispose();
  });
});

describe('HA texts', () => {
  it('counts down to the next attempt', () => {
    expect(countdown(undefined, 0)).toBeUndefined();
    expect(countdown(1000, 2000)).toBe('now');
    expect(countdown(3400, 1000)).toBe('in 2.4 s');
    expect(countdown(31_000, 1000)).toBe('in 30 s');
  });

  it('says what happened', () => {
    expect(describeEvent({ at: 0, kind: 'failedOver', serverIndex: 1 })).toBe('failed over to server 2');
    expect(describeEvent({ at: 0, kind: 'retryScheduled', retryInMs: 400, attempt: 3 })).toBe(
      'next attempt in 400 ms (attempt 3)',
    );
    expect(
      describeEvent({
        at: 0,
        kind: 'disconnected',
        serverIndex: 0,
        error: { name: 'E', message: 'connection reset', code: 'x', retriable: true },
      }),
    ).toBe('disconnected from server 1: connection reset');
    expect(describeDelay({ kind: 'exponential', initialMs: 200, maxMs: 20000, backoff: 2, jitter: 1 })).toBe(
      'exponential from 200 ms to 20000 ms, ×2, jitter 1× initial',
    );
  });
});
