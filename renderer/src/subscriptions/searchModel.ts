/**
 * The search bar's state: the text, how it was read, the matches of the last run over the
 * view's buffer and which one is current. Next / previous select a match in the list (the
 * component scrolls to it). It keeps the view's parsed payloads ({@link PayloadCache}) and
 * warms them while the user shows the intent to search ({@link SearchWarmup}). A pass started
 * with {@link SearchModel.start} runs in slices (see searchPass.ts) and is cancelled when the
 * text changes. Pure logic on {@link Model}; the clock and the scheduler are injected.
 */
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';
import { Model } from '../lib/model.js';
import { PayloadCache } from './searchCache.js';
import { startPass, type PassPacing } from './searchPass.js';
import { SearchWarmup, timerScheduler, type WarmupOptions } from './searchWarmup.js';
import { parseSearch, rowOf, searchList, stepMatch, type SearchableList, type SearchMode, type SearchQuery } from './search.js';

/** What the search bar and the list show. */
export interface SearchSnapshot {
  input: string;
  mode: SearchMode;
  /** How the last run read the text. */
  kind: 'text' | 'expression' | undefined;
  /** Why the text is not a valid expression, when it looked like one. */
  problem: { message: string; position: number; length: number } | undefined;
  /** Matches of the last run, in display order at that time. */
  matches: readonly MessageDto[];
  /** Index into `matches` of the current match, -1 for none. */
  current: number;
  /** Messages searched by the last run. */
  searched: number;
  /** Duration of the last run, ms. */
  ms: number;
  /** The query of the last run (for highlighting), undefined when no search is active. */
  query: SearchQuery | undefined;
  /** A pass under way over more than one slice: messages tested so far, of `total`. */
  progress: { done: number; total: number } | undefined;
}

/** Search over a view's buffer. */
export class SearchModel extends Model<SearchSnapshot> {
  readonly #now: () => number;
  #set: ReadonlySet<MessageDto> = new Set();
  /** The view's parsed payloads: each is parsed once, by the warm-up or by a pass. */
  readonly cache = new PayloadCache();
  /** Parses the buffer ahead of a search, a slice at a time. */
  readonly warmup: SearchWarmup;
  readonly #pacing: PassPacing;
  #cancelPass: (() => void) | undefined;

  constructor(now: () => number = () => performance.now(), warmup: WarmupOptions = {}) {
    super({
      input: '',
      mode: 'auto',
      kind: undefined,
      problem: undefined,
      matches: [],
      current: -1,
      searched: 0,
      ms: 0,
      query: undefined,
      progress: undefined,
    });
    this.#now = now;
    this.warmup = new SearchWarmup(this.cache, { now, ...warmup });
    this.#pacing = { schedule: warmup.schedule ?? timerScheduler, now, sliceMs: warmup.sliceMs ?? 8 };
  }

  /**
   * The user shows the intent to search (focus in the field, or text starting with `/`): the
   * messages of `source()` are parsed ahead, a slice at a time.
   */
  prepare(source: () => SearchableList): void {
    this.warmup.start(source);
  }

  /** The intent ended (the field left with no text): the warm-up stops and the parsed payloads are let go. */
  release(): void {
    this.warmup.stop();
    this.cache.clear();
  }

  /** The view is closing. */
  dispose(): void {
    this.#cancel();
    this.release();
  }

  /** New text: a pass under way for the old one is cancelled. */
  setInput(input: string): void {
    if (input === this.state.input) return;
    this.#cancel();
    this.update({ input });
  }

  setMode(mode: SearchMode): void {
    this.#cancel();
    this.update({ mode });
  }

  /** True when `message` matched the last run. */
  isMatch(message: MessageDto): boolean {
    return this.#set.has(message);
  }

  /** Searches `list` for the current text at once; returns the number of matches. */
  run(list: SearchableList): number {
    this.#cancel();
    const started = this.#now();
    const parsed = parseSearch(this.state.input, this.state.mode, this.cache);
    const query = parsed.query;
    const found = query === undefined ? { rows: [], messages: [] } : searchList(list, query);
    this.#finish(parsed.problem, query, found.messages, list.count, started);
    return found.messages.length;
  }

  /**
   * Searches `list` for the current text in slices (the page runs between them, with the
   * progress in {@link SearchSnapshot.progress}); `then` runs when the matches are in. A pass
   * that fits in one slice ends before this returns. A new pass, new text or clear cancels it.
   */
  start(list: SearchableList, then?: () => void): void {
    this.#cancel();
    const started = this.#now();
    const parsed = parseSearch(this.state.input, this.state.mode, this.cache);
    const query = parsed.query;
    if (query === undefined) {
      this.#finish(parsed.problem, query, [], list.count, started);
      then?.();
      return;
    }
    const total = list.count;
    let ended = false;
    const cancel = startPass(list, query, this.#pacing, {
      progress: (done) => this.update({ progress: { done, total } }),
      done: (found) => {
        ended = true;
        this.#cancelPass = undefined;
        this.#finish(parsed.problem, query, found.messages, total, started);
        then?.();
      },
    });
    if (!ended) this.#cancelPass = cancel;
  }

  #finish(
    problem: SearchSnapshot['problem'],
    query: SearchQuery | undefined,
    matches: MessageDto[],
    searched: number,
    started: number,
  ): void {
    this.#set = new Set(matches);
    this.update({
      kind: query?.kind,
      problem,
      matches,
      current: -1,
      searched,
      ms: this.#now() - started,
      query,
      progress: undefined,
    });
  }

  #cancel(): void {
    this.#cancelPass?.();
    this.#cancelPass = undefined;
    if (this.state.progress !== undefined) this.update({ progress: undefined });
  }

  /**
   * Makes the next (`+1`) or previous (`-1`) match current and returns it with its row in
   * `list` now (undefined row once it left the buffer), or undefined with no matches.
   */
  step(list: SearchableList, direction: 1 | -1): { message: MessageDto; row: number | undefined } | undefined {
    const { matches, current } = this.state;
    const next = stepMatch(matches.length, current, direction);
    const message = matches[next];
    if (message === undefined) return undefined;
    this.update({ current: next });
    return { message, row: rowOf(list, message) };
  }

  /** Ends the search (no highlight). */
  clear(): void {
    this.#cancel();
    this.#set = new Set();
    this.update({ input: '', kind: undefined, problem: undefined, matches: [], current: -1, searched: 0, ms: 0, query: undefined });
  }
}
