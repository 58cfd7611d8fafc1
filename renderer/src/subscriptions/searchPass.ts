/**
 * A search pass that never holds the page for long: the list's messages (as they are when the
 * pass starts) are tested in slices of at most `sliceMs`, with the page running between them,
 * and the pass can be cancelled (the text changed). A pass that fits in one slice ends at once.
 * Pure: the scheduler and the clock are injected.
 */
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';
import type { SearchableList, SearchQuery } from './search.js';
import type { WarmupScheduler } from './searchWarmup.js';

/** How a pass is paced. */
export interface PassPacing {
  schedule: WarmupScheduler;
  now: () => number;
  /** Longest work between two yields, ms. */
  sliceMs: number;
}

/** What a pass reports. */
export interface PassEvents {
  /** After a slice that did not end the pass: messages tested so far, of `total`. */
  progress(done: number, total: number): void;
  /** The matches in display order (rows of the list as it was when the pass started). */
  done(found: { rows: number[]; messages: MessageDto[] }): void;
}

/** Tests between two reads of the clock. */
const CHECK_EVERY = 64;

/** Starts a pass of `query` over `list`; returns its cancel (after which it reports nothing). */
export function startPass(
  list: SearchableList,
  query: SearchQuery,
  pacing: PassPacing,
  events: PassEvents,
): () => void {
  const messages: (MessageDto | undefined)[] = new Array<MessageDto | undefined>(list.count);
  for (let row = 0; row < messages.length; row++) messages[row] = list.rowAt(row);
  query.fit?.(messages.length);
  const rows: number[] = [];
  const matches: MessageDto[] = [];
  let row = 0;
  let cancel: (() => void) | undefined;
  let cancelled = false;
  const slice = (): void => {
    cancel = undefined;
    const started = pacing.now();
    let sinceCheck = 0;
    while (row < messages.length) {
      const m = messages[row];
      if (m !== undefined && query.test(m)) {
        rows.push(row);
        matches.push(m);
      }
      row++;
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        if (pacing.now() - started >= pacing.sliceMs) break;
      }
    }
    if (row >= messages.length) {
      messages.length = 0;
      events.done({ rows, messages: matches });
      return;
    }
    events.progress(row, messages.length);
    if (!cancelled) cancel = pacing.schedule(slice, 0);
  };
  slice();
  return () => {
    cancelled = true;
    cancel?.();
    cancel = undefined;
  };
}
