import { describe, expect, it } from 'vitest';
import type {
  PerformanceStats,
  ServerOverview,
  WireEntryDto,
  WireLog,
} from '../../common/src/dto/inspector.js';
import type { SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { ChartModel } from '../src/charts/chartModel.js';
import { parseFieldPath, valueAt, numberOf } from '../src/charts/fieldPath.js';
import { SeriesHistory } from '../src/charts/seriesHistory.js';
import { HudModel, describeDrop } from '../src/inspector/hudModel.js';
import { InspectorModel, filterEntries, idsOf } from '../src/inspector/inspectorModel.js';
import { ServerModel, formatUptime } from '../src/server/serverModel.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

class ManualTimers {
  readonly running = new Map<number, () => void>();
  now_ = 0;
  #next = 1;
  setInterval(cb: () => void): unknown {
    const id = this.#next++;
    this.running.set(id, cb);
    return id;
  }
  clearInterval(handle: unknown): void {
    this.running.delete(handle as number);
  }
  now(): number {
    return this.now_;
  }
}

const entry = (seq: number, patch: Partial<WireEntryDto>): WireEntryDto => ({
  seq,
  at: seq,
  direction: 'out',
  command: 'subscribe',
  bytes: 0,
  ...patch,
});

describe('SeriesHistory', () => {
  it('keeps columns aligned, adds series as they appear and drops the oldest past capacity', () => {
    const h = new SeriesHistory({ capacity: 3, maxSeries: 2 });
    h.push(1000, { a: 1 });
    h.push(2000, { b: 2 });
    h.push(3000, { a: 3, c: 9 });
    expect(h.columns()).toEqual([
      [1, 2, 3],
      [1, null, 3],
      [null, 2, null],
    ]);
    expect(h.refused).toBe(1);
    expect(h.points).toBe(3);
    h.push(4000, { b: 4 });
    expect(h.columns()).toEqual([
      [2, 3, 4],
      [null, 3, null],
      [2, null, 4],
    ]);
    expect(h.points).toBe(3);
    h.push(5000, { a: Number.NaN });
    expect(h.length).toBe(3);
  });
});

describe('field paths', () => {
  it('reads AMPS and dotted paths, numbers and numeric text', () => {
    const doc = { quote: { bid: '1.5' }, qty: 3 };
    expect(numberOf(valueAt(doc, parseFieldPath('/quote/bid')))).toBe(1.5);
    expect(numberOf(valueAt(doc, parseFieldPath('qty')))).toBe(3);
    expect(numberOf(valueAt(doc, parseFieldPath('/missing/x')))).toBeUndefined();
    expect(() => parseFieldPath(' / ')).toThrow(/at least one field/);
  });
});

describe('InspectorModel', () => {
  function api(logs: WireLog[]) {
    const asked: number[] = [];
    const sampling: number[] = [];
    const a = {
      getWireLog: ({ afterSeq }: { afterSeq: number }) => {
        asked.push(afterSeq);
        const log = logs.shift();
        return log === undefined
          ? Promise.reject(new Error('connection conn-1 is not open'))
          : Promise.resolve(log);
      },
      setWireSampling: ({ sampleEvery }: { sampleEvery: number }) => {
        sampling.push(sampleEvery);
        return Promise.resolve();
      },
    } as unknown as ExplorerApi;
    return { api: a, asked, sampling };
  }
  const counters = (bySub: Record<string, number>) => ({
    heartbeatsIn: 2,
    heartbeatsOut: 1,
    dataBySub: bySub,
    publishedByTopic: {},
    overwritten: 0,
  });

  it('asks for entries after the last seen, filters them and charts each subscription rate', async () => {
    const timers = new ManualTimers();
    const fake = api([
      {
        entries: [
          entry(1, { topic: 'orders', commandId: '1' }),
          entry(2, {
            direction: 'in',
            command: 'ack',
            status: 'failure',
            reason: 'bad filter',
            commandId: '1',
          }),
        ],
        counters: counters({ s1: 10 }),
        lastSeq: 2,
        sampleEvery: 0,
        capacity: 2000,
      },
      { entries: [], counters: counters({ s1: 30 }), lastSeq: 2, sampleEvery: 0, capacity: 2000 },
    ]);
    const m = new InspectorModel(fake.api, timers);
    m.follow('conn-1');
    await settle();
    expect(m.state.entries).toHaveLength(2);
    timers.now_ = 2000;
    for (const cb of timers.running.values()) cb();
    await settle();
    expect(fake.asked).toEqual([0, 2]);
    expect(m.state.rateNames).toEqual(['s1']);
    expect(m.state.rates[1]).toEqual([10]);
    m.setFilter('ack FAILURE');
    expect(m.state.visible.map((e) => e.seq)).toEqual([2]);
    m.clear();
    expect(m.state.entries).toEqual([]);
    for (const cb of timers.running.values()) cb();
    await settle();
    expect(m.state.error).toMatch(/not open/);
    m.dispose();
  });

  it('stops polling while paused or hidden, and sets sampling', async () => {
    const timers = new ManualTimers();
    const fake = api([{ entries: [], counters: counters({}), lastSeq: 0, sampleEvery: 0, capacity: 2000 }]);
    const m = new InspectorModel(fake.api, timers);
    m.follow('conn-1');
    expect(timers.running.size).toBe(1);
    m.setPaused(true);
    expect(timers.running.size).toBe(0);
    m.setPaused(false);
    expect(timers.running.size).toBe(1);
    m.follow(undefined);
    expect(timers.running.size).toBe(0);
    m.follow('conn-1');
    await m.setSampling(10);
    expect(fake.sampling).toEqual([10]);
    expect(m.state.sampleEvery).toBe(10);
    m.dispose();
    expect(timers.running.size).toBe(0);
  });

  it('filters by every word and names the ids as AMPS does', () => {
    const list = [entry(1, { topic: 'orders' }), entry(2, { topic: 'trades', subId: 'abc' })];
    expect(filterEntries(list, 'TRADES abc').map((e) => e.seq)).toEqual([2]);
    expect(filterEntries(list, '')).toBe(list);
    expect(idsOf(entry(3, { commandId: '7', subId: 's', queryId: 'q' }))).toBe('cid=7 sub_id=s query_id=q');
  });
});

describe('HudModel', () => {
  const stats = (rate: number, dropped = 0): PerformanceStats => ({
    mainRssMiB: 100,
    messagesInPerSec: rate,
    dropped,
    conflated: 4,
    perSubscription: [
      {
        subscriptionId: 's1',
        kind: 'subscription',
        connectionId: 'c',
        topic: 'orders',
        buffered: 5,
        budget: 50_000,
        dropped,
        received: 9,
      },
    ],
    at: 0,
  });

  it('averages the last three rates and warns naming the view that drops', () => {
    const m = new HudModel({} as ExplorerApi, new ManualTimers());
    m.apply(stats(90));
    m.apply(stats(100));
    m.apply(stats(110));
    m.apply(stats(120));
    expect(m.state.messagesInPerSec).toBe(110);
    expect(m.state.dropping).toEqual([]);
    m.apply(stats(120, 3));
    expect(m.state.dropping).toEqual([
      'orders (subscription) dropped 3 messages: its buffer of 50,000 was full',
    ]);
    expect(m.state.conflated).toBe(4);
  });

  it('counts frames per second and polls only while visible', () => {
    const timers = new ManualTimers();
    const m = new HudModel(
      { getPerformance: () => Promise.resolve(stats(1)) } as unknown as ExplorerApi,
      timers,
    );
    m.frame(0);
    for (let t = 16; t <= 1008; t += 16) m.frame(t);
    // 63 frames in 1,008 ms.
    expect(m.state.fps).toBe(63);
    m.setVisible(true);
    expect(timers.running.size).toBe(1);
    m.setVisible(false);
    expect(timers.running.size).toBe(0);
    m.heap(64 * 1024 * 1024);
    expect(m.state.heapMiB).toBe(64);
    expect(describeDrop({ ...stats(0, 1).perSubscription[0]!, kind: 'sow' })).toMatch(
      /SOW view\) dropped 1 message:/,
    );
  });
});

describe('ChartModel', () => {
  function chartApi() {
    const batch: ((b: SubscriptionBatch) => void)[] = [];
    const calls: string[] = [];
    const a = {
      onSubscriptionBatch: (cb: (b: SubscriptionBatch) => void) => {
        batch.push(cb);
        return () => undefined;
      },
      onSubscriptionEnded: () => () => undefined,
      subscribe: (spec: { topic: string; filter?: string }) => {
        calls.push(`subscribe ${spec.topic} ${spec.filter ?? ''}`);
        return Promise.resolve({ subscriptionId: 'sub-1' });
      },
      unsubscribe: ({ subscriptionId }: { subscriptionId: string }) => {
        calls.push(`unsubscribe ${subscriptionId}`);
        return Promise.resolve();
      },
    } as unknown as ExplorerApi;
    const send = (datas: string[]): void => {
      const messages = datas.map((data, i) => ({
        index: i,
        command: 'p',
        topic: 't',
        data,
        size: data.length,
        truncated: false,
        receivedAt: 1000 + i,
      }));
      for (const cb of batch)
        cb({ subscriptionId: 'sub-1', messages, received: 0, delivered: 0, dropped: 0 });
    };
    return { api: a, calls, send };
  }

  it('plots a numeric field split by a key, skips messages without it, pauses and stops', async () => {
    const f = chartApi();
    const m = new ChartModel(f.api);
    await m.start({
      connectionId: 'c',
      topic: 'ticks',
      mode: 'subscribe',
      fieldPath: '/px',
      keyField: '/sym',
    });
    expect(f.calls).toEqual(['subscribe ticks ']);
    f.send(['{"px":1,"sym":"A"}', '{"px":"2.5","sym":"B"}', '{"sym":"A"}', 'not json']);
    expect(m.state.names).toEqual(['A', 'B']);
    expect(m.state.points).toBe(2);
    expect(m.state.skipped).toBe(2);
    m.setPaused(true);
    f.send(['{"px":3,"sym":"A"}']);
    expect(m.state.points).toBe(2);
    m.setPaused(false);
    f.send(['{"px":3,"sym":"A"}']);
    expect(m.state.points).toBe(3);
    await m.stop();
    expect(f.calls).toContain('unsubscribe sub-1');
    expect(m.state.running).toBe(false);
  });

  it('refuses an empty field path before subscribing', async () => {
    const f = chartApi();
    const m = new ChartModel(f.api);
    await m.start({ connectionId: 'c', topic: 'ticks', mode: 'subscribe', fieldPath: '  ' });
    expect(m.state.error).toMatch(/field path/);
    expect(f.calls).toEqual([]);
  });
});

describe('ServerModel', () => {
  const overview = (at: number, messages: number): ServerOverview => ({
    source: 'sandbox',
    instance: 'i',
    version: '1',
    uptimeSeconds: 5,
    clients: 1,
    topics: [{ name: 'orders', messages }],
    at,
  });

  it('derives topic rates from successive counts', () => {
    const m = new ServerModel({} as ExplorerApi, new ManualTimers());
    m.apply(overview(0, 10));
    expect(m.state.rates).toEqual({});
    m.apply(overview(2000, 30));
    expect(m.state.rates).toEqual({ orders: 10 });
    expect(m.state.columns).toEqual([[2], [10]]);
    expect(formatUptime(90_061)).toBe('1d 01:01:01');
    expect(formatUptime(undefined)).toBe('unknown');
  });
});
