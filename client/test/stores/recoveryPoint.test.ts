import { describe, expect, it } from 'vitest';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import {
  ConflatingRecoveryPointAdapter,
  type AdapterTimers,
  type RecoveryPoint,
  type RecoveryPointAdapter,
} from '../../src/stores/bookmark/recoveryPoint.js';
import {
  SowRecoveryPointAdapter,
  type SowRecoveryClient,
} from '../../src/stores/bookmark/sowRecoveryPointAdapter.js';

/** An adapter that records what it is told and serves `saved` on next(). */
class RecordingAdapter implements RecoveryPointAdapter {
  updates: RecoveryPoint[] = [];
  purged: Array<string | undefined> = [];
  closed = 0;
  pruned = 0;
  constructor(private saved: RecoveryPoint[] = []) {}
  prune(): void {
    this.pruned++;
  }
  next(): Promise<RecoveryPoint | undefined> {
    return Promise.resolve(this.saved.shift());
  }
  update(point: RecoveryPoint): void {
    this.updates.push(point);
  }
  purge(subId?: string): Promise<void> {
    this.purged.push(subId);
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

/** Manually driven timers. */
class FakeTimers implements AdapterTimers {
  pending = new Map<number, { fn: () => void; ms: number }>();
  private id = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(++this.id, { fn, ms });
    return this.id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const timer of all) timer.fn();
  }
}

describe('MemoryBookmarkStore with a recovery point adapter', () => {
  it('reports each new resume point and recovers saved points', async () => {
    const adapter = new RecordingAdapter([{ subId: 'old', bookmark: '5|9|,6|2|' }]);
    const store = await MemoryBookmarkStore.recover(adapter);
    expect(store.getMostRecent('old')).toBe('5|9|,6|2|');
    expect(store.isDiscarded({ subId: 'old', bookmark: '5|8|' })).toBe(true);
    expect(store.isDiscarded({ subId: 'old', bookmark: '5|10|' })).toBe(false);
    store.log({ subId: 's', bookmark: '20240101T000000Z' });
    store.log({ subId: 's', bookmark: '7|1|' });
    store.discard('s', 1n);
    store.persisted('s', '8|1|');
    store.purge('s');
    expect(adapter.updates).toEqual([
      { subId: 's', bookmark: '20240101T000000Z' },
      { subId: 's', bookmark: '7|1|' },
      { subId: 's', bookmark: '8|1|' },
    ]);
    expect(adapter.purged).toEqual(['s']);
    await store.closeAndFlush();
    expect(adapter.closed).toBe(1);
  });
});

describe('ConflatingRecoveryPointAdapter', () => {
  it('passes only the latest point per subscription on by count', () => {
    const inner = new RecordingAdapter();
    const timers = new FakeTimers();
    const adapter = new ConflatingRecoveryPointAdapter(inner, {
      updateThreshold: 3,
      intervalMs: 1000,
      timers,
    });
    adapter.update({ subId: 'a', bookmark: '1|1|' });
    adapter.update({ subId: 'a', bookmark: '1|2|' });
    expect(inner.updates).toEqual([]);
    adapter.update({ subId: 'b', bookmark: '2|1|' });
    expect(inner.updates).toEqual([
      { subId: 'a', bookmark: '1|2|' },
      { subId: 'b', bookmark: '2|1|' },
    ]);
    expect(timers.pending.size).toBe(0);
  });

  it('passes pending points on by interval', () => {
    const inner = new RecordingAdapter();
    const timers = new FakeTimers();
    const adapter = new ConflatingRecoveryPointAdapter(inner, {
      updateThreshold: 100,
      intervalMs: 250,
      timers,
    });
    adapter.update({ subId: 'a', bookmark: '1|1|' });
    adapter.update({ subId: 'a', bookmark: '1|3|' });
    expect(timers.pending.size).toBe(1);
    expect([...timers.pending.values()][0]?.ms).toBe(250);
    timers.fire();
    expect(inner.updates).toEqual([{ subId: 'a', bookmark: '1|3|' }]);
    adapter.update({ subId: 'a', bookmark: '1|4|' });
    expect(timers.pending.size).toBe(1);
  });

  it('purges pending points, flushes on close and passes next through', async () => {
    const inner = new RecordingAdapter([{ subId: 'x', bookmark: '1|1|' }]);
    const timers = new FakeTimers();
    const adapter = new ConflatingRecoveryPointAdapter(inner, { updateThreshold: 100, timers });
    expect(await adapter.next()).toEqual({ subId: 'x', bookmark: '1|1|' });
    expect(await adapter.next()).toBeUndefined();
    adapter.update({ subId: 'a', bookmark: '1|1|' });
    adapter.update({ subId: 'b', bookmark: '2|1|' });
    await adapter.purge('a');
    adapter.prune();
    await adapter.close();
    expect(inner.pruned).toBe(1);
    expect(inner.updates).toEqual([{ subId: 'b', bookmark: '2|1|' }]);
    expect(inner.purged).toEqual(['a']);
    expect(inner.closed).toBe(1);
    expect(timers.pending.size).toBe(0);
    adapter.update({ subId: 'c', bookmark: '3|1|' });
    expect(inner.updates).toHaveLength(1);
  });

  it('rejects nonsensical options', () => {
    expect(() => new ConflatingRecoveryPointAdapter(new RecordingAdapter(), { updateThreshold: 0 })).toThrow(
      /updateThreshold/,
    );
    expect(() => new ConflatingRecoveryPointAdapter(new RecordingAdapter(), { intervalMs: -1 })).toThrow(
      /intervalMs/,
    );
  });
});

/** A fake client holding a SOW of JSON records keyed by clientName + subId. */
class FakeSowClient implements SowRecoveryClient {
  sow = new Map<string, string>();
  queries: Array<[string, string]> = [];
  deletes: Array<[string, string]> = [];
  failNext = false;
  closed = false;
  publish(topic: string, json: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('not connected'));
    }
    const record = JSON.parse(json) as { clientName: string; subId: string };
    this.sow.set(`${topic}/${record.clientName}/${record.subId}`, json);
    return Promise.resolve();
  }
  async *sowQuery(topic: string, filter: string): AsyncIterable<string | Uint8Array> {
    this.queries.push([topic, filter]);
    yield Buffer.from('not json');
    for (const json of this.sow.values()) yield json;
  }
  close(): void {
    this.closed = true;
  }
}

describe('SowRecoveryPointAdapter', () => {
  it('saves points as SOW records and reads them back', async () => {
    const client = new FakeSowClient();
    const errors: Error[] = [];
    const writer = new SowRecoveryPointAdapter(client, {
      trackedClientName: "o'brien",
      onError: (e) => errors.push(e),
    });
    writer.update({ subId: 's1', bookmark: '1|5|' });
    writer.update({ subId: 's2', bookmark: '2|7|,3|1|' });
    writer.update({ subId: 's1', bookmark: '1|6|' });
    await writer.close();
    expect(client.closed).toBe(false);

    const reader = new SowRecoveryPointAdapter(client, {
      trackedClientName: "o'brien",
      closeClient: true,
      onError: (e) => errors.push(e),
    });
    const store = await MemoryBookmarkStore.recover(reader);
    expect(store.getMostRecent('s1')).toBe('1|6|');
    expect(store.getMostRecent('s2')).toBe('2|7|,3|1|');
    expect(client.queries).toEqual([['/ADMIN/bookmark_store', "/clientName = 'o\\'brien'"]]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/not JSON/)]);
    await reader.close();
    expect(client.closed).toBe(true);
  });

  it('reports failed publishes and purges with empty bookmarks or sow_delete', async () => {
    const client = new FakeSowClient();
    const errors: Error[] = [];
    const adapter = new SowRecoveryPointAdapter(client, { trackedClientName: 'c', topic: '/bm' });
    expect(adapter.getExceptionListener()).toBeUndefined();
    const listener = (e: Error): void => {
      errors.push(e);
    };
    adapter.setExceptionListener(listener);
    expect(adapter.getExceptionListener()).toBe(listener);
    client.failNext = true;
    adapter.update({ subId: 's', bookmark: '1|1|' });
    adapter.update({ subId: 't', bookmark: '1|2|' });
    await adapter.purge('t');
    await adapter.close();
    expect(errors.map((e) => e.message)).toEqual(['not connected']);
    expect(JSON.parse(client.sow.get('/bm/c/t') ?? '{}')).toEqual({
      clientName: 'c',
      subId: 't',
      bookmark: '',
    });
    const reader = new SowRecoveryPointAdapter(client, { trackedClientName: 'c', topic: '/bm' });
    expect(await reader.next()).toBeUndefined();

    const deleting = Object.assign(new FakeSowClient(), {
      sowDelete(topic: string, filter: string): Promise<void> {
        deleting.deletes.push([topic, filter]);
        return Promise.resolve();
      },
    });
    const purger = new SowRecoveryPointAdapter(deleting, { trackedClientName: 'c' });
    await purger.purge('s\\1');
    await purger.purge();
    expect(deleting.deletes).toEqual([
      ['/ADMIN/bookmark_store', "/clientName = 'c' AND /subId = 's\\\\1'"],
      ['/ADMIN/bookmark_store', "/clientName = 'c'"],
    ]);
  });
});
