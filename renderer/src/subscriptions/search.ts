/**
 * Search within the messages a subscription view holds: free text (payload, topic, SowKey,
 * any case) or an AMPS expression such as `/qty > 100 AND /sym = 'IBM'`, evaluated here with
 * the client's expression module against each JSON payload (after a text prefilter, see
 * searchPrefilter.ts, so most messages that cannot match are not parsed; each payload parsed is
 * kept in a {@link PayloadCache}). Pure: no DOM, no Svelte.
 */
import {
  compileFilter,
  FilterSyntaxError,
  type CompiledFilter,
  type EvalContext,
} from '../../../client/src/expression/index.js';
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';
import { NOT_JSON, PayloadCache } from './searchCache.js';
import { prefilterOf, type Prefilter } from './searchPrefilter.js';

/** How the search text is read. */
export type SearchMode = 'auto' | 'text' | 'expression';

/** A search ready to run. */
export interface SearchQuery {
  /** How the text was read (`auto` resolved). */
  kind: 'text' | 'expression';
  input: string;
  /** True when the message matches. */
  test(message: MessageDto): boolean;
  /** Called before a pass over `count` messages (sizes the parsed-payload cache). */
  fit?(count: number): void;
  /** Spans of `text` to highlight (text searches; none for expressions). */
  ranges(text: string): [start: number, end: number][];
}

/** The outcome of reading the search text. */
export interface ParsedSearch {
  query: SearchQuery | undefined;
  /** Why the text is not a valid expression (expression mode, or auto on text starting with `/`). */
  problem?: { message: string; position: number; length: number };
}

/** The list a search reads: display rows, as the message list shows them. */
export interface SearchableList {
  count: number;
  rowAt(row: number): MessageDto | undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function textQuery(input: string): SearchQuery {
  const needle = new RegExp(escapeRegExp(input), 'i');
  const global = new RegExp(escapeRegExp(input), 'gi');
  return {
    kind: 'text',
    input,
    test: (m) => needle.test(m.data) || needle.test(m.topic) || (m.sowKey !== undefined && needle.test(m.sowKey)),
    ranges: (text) => {
      const out: [number, number][] = [];
      global.lastIndex = 0;
      for (let match = global.exec(text); match !== null && out.length < 100; match = global.exec(text))
        out.push([match.index, match.index + match[0].length]);
      return out;
    },
  };
}

/** The cache of searches given none (a view's search model keeps its own). */
const defaultCache = new PayloadCache();

function expressionQuery(
  input: string,
  filter: CompiledFilter,
  prefilter: Prefilter | undefined,
  cache: PayloadCache,
): SearchQuery {
  // One context for the whole pass, refilled per message: a pass allocates nothing per
  // message it looks at (less garbage collection while 100,000 parsed payloads are live).
  const context: EvalContext = { topic: '', messageSize: 0, sowKey: undefined, bookmark: undefined, correlationId: undefined };
  return {
    kind: 'expression',
    input,
    fit: (count) => cache.fit(count),
    test: (m) => {
      // A cheap text test first: most messages that cannot match are never parsed.
      if (prefilter !== undefined && !prefilter(m.data)) return false;
      const parsed = cache.parsed(m);
      if (parsed === NOT_JSON) return false;
      context.topic = m.topic;
      context.messageSize = m.size;
      context.sowKey = m.sowKey;
      context.bookmark = m.bookmark;
      context.correlationId = m.correlationId;
      return filter(parsed, context);
    },
    ranges: () => [],
  };
}

/**
 * Reads the search text. `auto` searches as an expression when the text starts with `/` (a
 * field) and the expression module accepts it; otherwise as free text (reporting why it is not
 * an expression, when it looked like one). Empty text is no search.
 */
export function parseSearch(input: string, mode: SearchMode = 'auto', cache: PayloadCache = defaultCache): ParsedSearch {
  const text = input.trim();
  if (text === '') return { query: undefined };
  if (mode === 'text') return { query: textQuery(text) };
  const looksLikeExpression = mode === 'expression' || text.startsWith('/');
  if (!looksLikeExpression) return { query: textQuery(text) };
  try {
    const filter = compileFilter(text);
    return { query: expressionQuery(text, filter, prefilterOf(text), cache) };
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    const problem = { message: error.message, position: error.position, length: error.length };
    return mode === 'expression' ? { query: undefined, problem } : { query: textQuery(text), problem };
  }
}

/** The messages of `list` that match, in display order (row numbers alongside). */
export function searchList(list: SearchableList, query: SearchQuery): { rows: number[]; messages: MessageDto[] } {
  const rows: number[] = [];
  const messages: MessageDto[] = [];
  query.fit?.(list.count);
  for (let row = 0; row < list.count; row++) {
    const message = list.rowAt(row);
    if (message !== undefined && query.test(message)) {
      rows.push(row);
      messages.push(message);
    }
  }
  return { rows, messages };
}

/** The display row of `message` in `list` (undefined once it left the buffer). */
export function rowOf(list: SearchableList, message: MessageDto): number | undefined {
  for (let row = 0; row < list.count; row++) if (list.rowAt(row) === message) return row;
  return undefined;
}

/**
 * The match to go to from `current` by `step` (+1 next, -1 previous), wrapping around;
 * -1 when there are no matches.
 */
export function stepMatch(count: number, current: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}
