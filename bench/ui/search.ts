/**
 * Search over 100,000 buffered messages with the renderer's own search module
 * (renderer/src/subscriptions/search.ts): one full pass for a free-text query and for an
 * expression (its first pass, which parses the payloads the text prefilter keeps, then the
 * median of later passes), and the first pass of an expression the prefilter cannot narrow
 * (`/qty > 990`: every payload parsed) cold, and again on other messages after the view's
 * warm-up (renderer/src/subscriptions/searchWarmup.ts: the payloads parsed ahead in slices,
 * with real timers between them) with the warm-up's time, its longest slice and the heap its
 * parsed payloads take, and cold as the search bar runs it (in slices: its time and longest slice); beside a baseline pass over the same buffer that only reads each
 * message (the loop itself). The modules are imported at run time by path (tsx runs them):
 * the bench project does not compile renderer sources.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The message fields the search reads (renderer MessageDto). */
interface BufferedMessage {
  index: number;
  command: string;
  topic: string;
  data: string;
  size: number;
  truncated: boolean;
  receivedAt: number;
}

/** The renderer's parsed-payload cache (renderer/src/subscriptions/searchCache.ts). */
interface PayloadCache {
  readonly size: number;
}

interface CacheModule {
  PayloadCache: new () => PayloadCache;
}

interface WarmupState {
  phase: 'idle' | 'preparing' | 'ready';
  elapsedMs: number;
  longestSliceMs: number;
}

interface WarmupModule {
  SearchWarmup: new (
    cache: PayloadCache,
    options: { refreshMs?: number },
  ) => {
    readonly state: WarmupState;
    watch(listener: (state: WarmupState) => void): () => void;
    start(source: () => { count: number; rowAt(row: number): BufferedMessage | undefined }): void;
    stop(): void;
  };
}

interface SearchModelModule {
  SearchModel: new (
    now?: () => number,
    options?: { schedule?: (task: () => void, delayMs: number) => () => void; refreshMs?: number },
  ) => {
    readonly state: { matches: readonly unknown[] };
    setInput(input: string): void;
    start(list: { count: number; rowAt(row: number): BufferedMessage | undefined }, then?: () => void): void;
  };
}

interface SearchModule {
  parseSearch(input: string, mode?: 'auto' | 'text' | 'expression', cache?: PayloadCache): {
    query: { kind: string; test(m: BufferedMessage): boolean } | undefined;
  };
  searchList(
    list: { count: number; rowAt(row: number): BufferedMessage | undefined },
    query: { test(m: BufferedMessage): boolean },
  ): { rows: number[] };
}

/** What one search figure holds. */
export interface SearchFigures {
  messages: number;
  baselineMs: number;
  textMs: number;
  textMatches: number;
  /** First expression pass: every payload parsed. */
  expressionFirstMs: number;
  /** Later passes (the view keeps each message's parsed payload): median. */
  expressionMs: number;
  expressionMatches: number;
  /** First pass of `/qty > 990` (no value for the prefilter: every payload parsed), own messages. */
  wideFirstMs: number;
  wideMatches: number;
  /** First pass of `/qty > 990` on its own messages after the warm-up parsed them (median of 3 rounds). */
  wideWarmedMs: number;
  /** The warm-up over `messages` payloads: start to ready (the event loop ran between slices), ms (median of 3). */
  warmupMs: number;
  /** Its longest slice in the 3 rounds (the longest the page would wait on it), ms. */
  warmupLongestSliceMs: number;
  /** The cold first pass of `/qty > 990` as the search bar runs it (in slices, timers between them): start to matches, ms. */
  wideSlicedMs: number;
  /** Its longest slice (the longest the page would wait on it), ms. */
  wideSlicedLongestSliceMs: number;
  /** Heap taken by the parsed payloads of `messages` messages (after GC, beside the messages themselves), MiB. */
  cacheHeapMiB: number;
}

const SYMBOLS = ['IBM', 'MSFT', 'AAPL', 'ORCL', 'GOOG', 'AMZN', 'NVDA', 'TSLA'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** `count` messages like a busy order topic. */
function orders(count: number): BufferedMessage[] {
  const buffer: BufferedMessage[] = [];
  for (let i = 0; i < count; i++) {
    const data = JSON.stringify({
      id: i,
      sym: SYMBOLS[i % SYMBOLS.length],
      qty: (i * 7919) % 1000,
      price: 100 + ((i * 31) % 5000) / 100,
      side: i % 2 === 0 ? 'buy' : 'sell',
      trader: `t${i % 97}`,
    });
    buffer.push({ index: i + 1, command: 'p', topic: 'orders', data, size: data.length, truncated: false, receivedAt: i });
  }
  return buffer;
}

/** A full garbage collection (the flag is set at run time, so the bench needs no node option). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** The warm-up over `list`, to ready, with real timers: its figures and the heap its payloads take. */
async function warmUp(
  repoRoot: string,
  list: { count: number; rowAt(row: number): BufferedMessage | undefined },
): Promise<{ cache: PayloadCache; ms: number; longestSliceMs: number; heapMiB: number }> {
  const at = (path: string): string => pathToFileURL(join(repoRoot, path)).href;
  const { PayloadCache } = (await import(at('renderer/src/subscriptions/searchCache.ts'))) as CacheModule;
  const { SearchWarmup } = (await import(at('renderer/src/subscriptions/searchWarmup.ts'))) as WarmupModule;
  const gc = collector();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cache = new PayloadCache();
  const warmup = new SearchWarmup(cache, { refreshMs: 0 });
  const ready = new Promise<WarmupState>((resolve) => {
    const stop = warmup.watch((state) => {
      if (state.phase === 'ready') {
        stop();
        resolve(state);
      }
    });
  });
  warmup.start(() => list);
  const state = await ready;
  warmup.stop();
  gc();
  const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);
  if (cache.size !== list.count) throw new Error(`the warm-up parsed ${cache.size} of ${list.count} payloads`);
  return { cache, ms: state.elapsedMs, longestSliceMs: state.longestSliceMs, heapMiB };
}

/** The cold first pass of `filter` over `list` as the search bar runs it: in slices, with real timers between them. */
async function slicedPass(
  repoRoot: string,
  list: { count: number; rowAt(row: number): BufferedMessage | undefined },
  filter: string,
): Promise<{ ms: number; longestSliceMs: number; matches: number }> {
  const url = pathToFileURL(join(repoRoot, 'renderer/src/subscriptions/searchModel.ts')).href;
  const { SearchModel } = (await import(url)) as SearchModelModule;
  let longest = 0;
  const timed = (task: () => void): void => {
    const at = performance.now();
    task();
    longest = Math.max(longest, performance.now() - at);
  };
  const schedule = (task: () => void, delayMs: number): (() => void) => {
    const handle = setTimeout(() => timed(task), delayMs);
    return () => clearTimeout(handle);
  };
  const model = new SearchModel(() => performance.now(), { schedule, refreshMs: 0 });
  model.setInput(filter);
  const at = performance.now();
  const done = new Promise<void>((resolve) => timed(() => model.start(list, resolve)));
  await done;
  return { ms: performance.now() - at, longestSliceMs: longest, matches: model.state.matches.length };
}

/** Builds `count` messages like a busy order topic and times the searches over them. */
export async function measureSearch(repoRoot: string, count = 100_000, runs = 7): Promise<SearchFigures> {
  const mod = (await import(pathToFileURL(join(repoRoot, 'renderer/src/subscriptions/search.ts')).href)) as SearchModule;
  const { PayloadCache } = (await import(
    pathToFileURL(join(repoRoot, 'renderer/src/subscriptions/searchCache.ts')).href
  )) as CacheModule;
  const wideFilter = '/qty > 990';
  // A first pass of an expression the text prefilter cannot narrow (every message has /qty),
  // on messages of its own, cold: every payload is parsed in the pass.
  const wide = orders(count);
  const wideList = { count, rowAt: (row: number) => wide[count - 1 - row] };
  const wideAt = performance.now();
  const wideQuery = mod.parseSearch(wideFilter, 'auto', new PayloadCache()).query;
  if (wideQuery === undefined) throw new Error(`search "${wideFilter}" did not parse`);
  const wideMatches = mod.searchList(wideList, wideQuery).rows.length;
  const wideFirstMs = performance.now() - wideAt;
  wide.length = 0;
  // The same first pass on other messages after the warm-up parsed them ahead; three rounds,
  // each on messages of its own (median of the passes and the warm-ups, the longest slice of all).
  const rounds: { passMs: number; warm: { ms: number; longestSliceMs: number; heapMiB: number } }[] = [];
  for (let round = 0; round < 3; round++) {
    const warmed = orders(count);
    const warmedList = { count, rowAt: (row: number) => warmed[count - 1 - row] };
    const warm = await warmUp(repoRoot, warmedList);
    const warmedAt = performance.now();
    const warmedQuery = mod.parseSearch(wideFilter, 'auto', warm.cache).query;
    if (warmedQuery === undefined) throw new Error(`search "${wideFilter}" did not parse`);
    const warmedMatches = mod.searchList(warmedList, warmedQuery).rows.length;
    // The figures only: the round's messages and their payloads are let go.
    rounds.push({ passMs: performance.now() - warmedAt, warm: { ms: warm.ms, longestSliceMs: warm.longestSliceMs, heapMiB: warm.heapMiB } });
    if (warmedMatches !== wideMatches) throw new Error(`warmed pass found ${warmedMatches}, cold pass ${wideMatches}`);
    warmed.length = 0;
  }
  const wideWarmedMs = median(rounds.map((r) => r.passMs));
  const warm = {
    ms: median(rounds.map((r) => r.warm.ms)),
    longestSliceMs: Math.max(...rounds.map((r) => r.warm.longestSliceMs)),
    heapMiB: median(rounds.map((r) => r.warm.heapMiB)),
  };
  // The cold pass again, on other messages, as the search bar runs it (in slices).
  const sliced = orders(count);
  const slicedFigures = await slicedPass(repoRoot, { count, rowAt: (row: number) => sliced[count - 1 - row] }, wideFilter);
  if (slicedFigures.matches !== wideMatches)
    throw new Error(`sliced pass found ${slicedFigures.matches}, one-go pass ${wideMatches}`);
  sliced.length = 0;
  const buffer = orders(count);
  const list = { count, rowAt: (row: number) => buffer[count - 1 - row] };
  const time = (fn: () => number): { ms: number; result: number } => {
    const times: number[] = [];
    let result = 0;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      result = fn();
      times.push(performance.now() - t);
    }
    return { ms: median(times), result };
  };
  const baseline = time(() => {
    let n = 0;
    for (let row = 0; row < list.count; row++) if (list.rowAt(row)?.data.length === -1) n++;
    return n;
  });
  const run = (input: string): { ms: number; result: number } =>
    time(() => {
      const query = mod.parseSearch(input).query;
      if (query === undefined) throw new Error(`search "${input}" did not parse`);
      return mod.searchList(list, query).rows.length;
    });
  const text = run('t42"');
  const filter = "/qty > 990 AND /sym = 'IBM'";
  const firstAt = performance.now();
  const firstQuery = mod.parseSearch(filter).query;
  if (firstQuery === undefined) throw new Error(`search "${filter}" did not parse`);
  mod.searchList(list, firstQuery);
  const expressionFirstMs = performance.now() - firstAt;
  const expression = run(filter);
  return {
    messages: count,
    baselineMs: baseline.ms,
    textMs: text.ms,
    textMatches: text.result,
    expressionFirstMs,
    expressionMs: expression.ms,
    expressionMatches: expression.result,
    wideFirstMs,
    wideMatches,
    wideWarmedMs,
    wideSlicedMs: slicedFigures.ms,
    wideSlicedLongestSliceMs: slicedFigures.longestSliceMs,
    warmupMs: warm.ms,
    warmupLongestSliceMs: warm.longestSliceMs,
    cacheHeapMiB: warm.heapMiB,
  };
}
