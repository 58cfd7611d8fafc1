/**
 * Search over 100,000 buffered messages with the renderer's own search module
 * (renderer/src/subscriptions/search.ts): one full pass for a free-text query and for an
 * expression (its first pass, which parses the payloads the text prefilter keeps, then the
 * median of later passes), and the first pass of an expression the prefilter cannot narrow,
 * beside a baseline pass over the same buffer that only reads each message (the loop itself). The module is imported at
 * run time by path (tsx runs it): the bench project does not compile renderer sources.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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

interface SearchModule {
  parseSearch(input: string, mode?: 'auto' | 'text' | 'expression'): {
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

/** Builds `count` messages like a busy order topic and times the searches over them. */
export async function measureSearch(repoRoot: string, count = 100_000, runs = 7): Promise<SearchFigures> {
  const mod = (await import(pathToFileURL(join(repoRoot, 'renderer/src/subscriptions/search.ts')).href)) as SearchModule;
  // A first pass of an expression the text prefilter cannot narrow (every message has /qty),
  // on messages of its own: every payload is parsed.
  const wide = orders(count);
  const wideList = { count, rowAt: (row: number) => wide[count - 1 - row] };
  const wideAt = performance.now();
  const wideQuery = mod.parseSearch('/qty > 990').query;
  if (wideQuery === undefined) throw new Error('search "/qty > 990" did not parse');
  const wideMatches = mod.searchList(wideList, wideQuery).rows.length;
  const wideFirstMs = performance.now() - wideAt;
  wide.length = 0;
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
  };
}
