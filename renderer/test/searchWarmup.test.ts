import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/src/dto/subscriptions.js';
import { parseSearch, searchList, type SearchableList } from '../src/subscriptions/search.js';
import { NOT_JSON, PayloadCache } from '../src/subscriptions/searchCache.js';
import { SearchModel } from '../src/subscriptions/searchModel.js';
import { SearchWarmup, type WarmupScheduler } from '../src/subscriptions/searchWarmup.js';
import { message } from './fakes.js';

const SYMBOLS = ['IBM', 'MSFT', 'AAPL', 'ORCL'];

function orders(count: number, from = 1): MessageDto[] {
  const out: MessageDto[] = [];
  for (let i = 0; i < count; i++) {
    const index = from + i;
    const data =
      index % 50 === 0
        ? 'not json'
        : JSON.stringify({ sym: SYMBOLS[index % 4], qty: (index * 37) % 100, n: index });
    out.push(message(index, { data, size: data.length, truncated: index % 71 === 0, receivedAt: 0 }));
  }
  return out;
}

const listOf = (messages: readonly MessageDto[]): SearchableList => ({
  count: messages.length,
  rowAt: (row) => messages[messages.length - 1 - row],
});

/** A cache whose every parse takes `parseMs` of the test's clock. */
class TimedCache extends PayloadCache {
  constructor(
    private readonly clock: { t: number },
    private readonly parseMs: number,
  ) {
    super();
  }
  override parsed(m: MessageDto): unknown {
    if (!this.has(m)) this.clock.t += this.parseMs;
    return super.parsed(m);
  }
}

/** A scheduler the test runs by hand, and a clock that moves 0.1 ms each time it is read. */
function manual() {
  const tasks: { task: () => void; delayMs: number }[] = [];
  const schedule: WarmupScheduler = (task, delayMs) => {
    const entry = { task, delayMs };
    tasks.push(entry);
    return () => {
      const i = tasks.indexOf(entry);
      if (i >= 0) tasks.splice(i, 1);
    };
  };
  let t = 0;
  return {
    schedule,
    tasks,
    now: () => (t += 0.1),
    /** Runs the next task; false when none is queued. */
    step(): boolean {
      const next = tasks.shift();
      next?.task();
      return next !== undefined;
    },
  };
}

describe('payload cache', () => {
  it('parses a payload once, answers only for the message that filled a slot, and marks what no expression matches', () => {
    const cache = new PayloadCache();
    const [a] = orders(1);
    if (a === undefined) throw new Error('no message');
    const first = cache.parsed(a);
    expect(first).toEqual(JSON.parse(a.data));
    expect(cache.parsed(a)).toBe(first);
    // Another message of the same index (another subscription) is not answered from a's slot.
    const other: MessageDto = { ...a, data: '{"qty":1}' };
    expect(cache.has(other)).toBe(false);
    expect(cache.parsed(other)).toEqual({ qty: 1 });
    expect(cache.has(a)).toBe(false);
    expect(cache.parsed({ ...a, index: 2, data: 'plain' })).toBe(NOT_JSON);
    expect(cache.parsed({ ...a, index: 3, truncated: true })).toBe(NOT_JSON);
    expect(cache.parsed({ ...a, index: 4, data: '{"broken":' })).toBe(NOT_JSON);
  });

  it('grows with the list keeping what it holds, and shrinks (empty) once the list is far smaller', () => {
    const cache = new PayloadCache();
    const messages = orders(3000);
    cache.fit(messages.length);
    for (const m of messages) cache.parsed(m);
    expect(cache.slots).toBe(4096);
    expect(cache.size).toBe(3000);
    cache.fit(5000);
    expect(cache.slots).toBe(8192);
    expect(messages.every((m) => cache.has(m))).toBe(true);
    cache.fit(4000);
    expect(cache.slots).toBe(8192);
    cache.fit(100);
    expect(cache.slots).toBe(1024);
    expect(cache.size).toBe(0);
    cache.fit(3000);
    for (const m of messages) cache.parsed(m);
    cache.dropBefore(2001);
    expect(cache.size).toBe(1000);
    expect(cache.has(messages[1999] as MessageDto)).toBe(false);
    expect(cache.has(messages[2000] as MessageDto)).toBe(true);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('search warm-up', () => {
  it('parses the buffer in slices no longer than the budget, yielding between them, then is ready', () => {
    const clock = manual();
    const time = { t: 0 };
    // Each parse takes 0.01 ms: 32 parses between two reads of the clock are 0.32 ms.
    const cache = new TimedCache(time, 0.01);
    const warmup = new SearchWarmup(cache, {
      schedule: clock.schedule,
      now: () => time.t,
      sliceMs: 2,
      refreshMs: 0,
    });
    const messages = orders(5000);
    const seen: number[] = [];
    warmup.watch((s) => seen.push(s.done));
    warmup.start(() => listOf(messages));
    expect(warmup.state.phase).toBe('preparing');
    expect(warmup.state.total).toBe(5000);
    expect(cache.size).toBe(0);
    let slices = 0;
    while (clock.step()) slices++;
    expect(warmup.state.phase).toBe('ready');
    expect(cache.size).toBe(5000);
    expect(messages.every((m) => cache.has(m))).toBe(true);
    // A slice ends at its first read of the clock past 2 ms.
    expect(warmup.state.longestSliceMs).toBeGreaterThanOrEqual(2);
    expect(warmup.state.longestSliceMs).toBeLessThanOrEqual(2.33);
    expect(slices).toBeGreaterThanOrEqual(22);
    expect(slices).toBeLessThanOrEqual(25);
    // Progress rose slice by slice.
    expect(seen.slice(1).every((d, i) => d >= (seen[i] ?? 0))).toBe(true);
    expect(seen.filter((d) => d > 0 && d < 5000).length).toBeGreaterThanOrEqual(21);
  });

  it('stops when told (the view closed, or the field left empty) and lets the payloads go on release', () => {
    const clock = manual();
    const model = new SearchModel(clock.now, { schedule: clock.schedule, sliceMs: 1, refreshMs: 0 });
    const messages = orders(2000);
    model.prepare(() => listOf(messages));
    clock.step();
    clock.step();
    const parsed = model.cache.size;
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThan(2000);
    model.dispose();
    expect(model.warmup.state.phase).toBe('idle');
    expect(clock.tasks).toHaveLength(0);
    expect(clock.step()).toBe(false);
    expect(model.cache.size).toBe(0);
  });

  it('looks again for messages that arrived after a pass, while warming, without showing "preparing" again', () => {
    const clock = manual();
    const cache = new PayloadCache();
    const warmup = new SearchWarmup(cache, { schedule: clock.schedule, now: clock.now, refreshMs: 500 });
    let messages = orders(300);
    warmup.start(() => listOf(messages));
    while (warmup.state.phase !== 'ready') clock.step();
    expect(clock.tasks.map((t) => t.delayMs)).toEqual([500]);
    messages = [...messages.slice(100), ...orders(100, 301)];
    const phases = new Set<string>();
    warmup.watch((s) => phases.add(s.phase));
    clock.step();
    while (clock.tasks[0]?.delayMs === 0) clock.step();
    expect(phases).toEqual(new Set(['ready']));
    expect(messages.every((m) => cache.has(m))).toBe(true);
    // The 100 messages that left the buffer left the cache too.
    expect(cache.size).toBe(300);
    // Starting again while warming changes nothing; stopping ends the looks.
    warmup.start(() => listOf([]));
    expect(clock.tasks).toHaveLength(1);
    warmup.stop();
    expect(clock.tasks).toHaveLength(0);
  });

  it('finds the same matches warm as cold, for every kind of expression, and after a run in the middle of it', () => {
    const messages = orders(3000);
    const list = listOf(messages);
    const expressions = [
      '/qty > 90',
      "/qty > 50 AND /sym = 'IBM'",
      "/sym IN ('MSFT', 'ORCL') OR /qty < 3",
      '/missing IS NULL',
      "NOT (/sym = 'AAPL')",
      "TOPIC_NAME() = 'orders' AND /qty BETWEEN 10 AND 12",
      'SOW_KEY() IS NULL AND /qty = 7',
    ];
    for (const expression of expressions) {
      const cold = parseSearch(expression, 'expression', new PayloadCache()).query;
      if (cold === undefined) throw new Error(expression);
      const expected = searchList(list, cold).rows;
      expect(expected.length, expression).toBeGreaterThan(0);
      // A warm-up cut short by a run: the run parses the rest.
      const clock = manual();
      const model = new SearchModel(clock.now, { schedule: clock.schedule, refreshMs: 0, sliceMs: 1 });
      model.prepare(() => list);
      clock.step();
      model.setMode('expression');
      model.setInput(expression);
      model.run(list);
      expect(model.state.kind).toBe('expression');
      expect(
        model.state.matches.map((m) => messages.length - 1 - messages.indexOf(m)),
        expression,
      ).toEqual(expected);
      while (clock.step());
      expect(model.warmup.state.phase).toBe('ready');
      // Fully warm.
      model.run(list);
      expect(model.state.matches.length, expression).toBe(expected.length);
      const warm = parseSearch(expression, 'expression', model.cache).query;
      expect(warm && searchList(list, warm).rows, expression).toEqual(expected);
    }
  });
});
