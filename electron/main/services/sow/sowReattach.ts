/**
 * SOW views across a page reload. When the owner's page goes away its views are detached:
 * main keeps their records (live ones keep taking the server's changes) and delivers nothing.
 * A page that comes back lists them, and attaching one sends its current records again as
 * batches (a snapshot of main's keyed map, in chunks), after which the live changes flow as
 * before. Views no page attaches are cancelled by the owner lifecycle (`owners.ts`).
 */
import type { SowBatch, SowViewInfo } from '../../../../common/src/dto/sow.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { SowView } from './sowView.js';

/** The part of the SOW service re-attaching needs. */
export interface ReattachableSow {
  viewsOf(ownerId: string): SowView[];
  cancel(queryId: string, ownerId: string): Promise<void>;
}

/** Options of {@link SowReattach}. */
export interface SowReattachOptions {
  sow: ReattachableSow;
  deliverBatch(ownerId: string, batch: SowBatch): void;
  /** Records per snapshot batch (default 20 000, as the service's live batches). */
  maxBatch?: number;
  now?: () => number;
}

const unknownView = (queryId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownSowQueryError',
    message: `SOW view ${queryId} is no longer held by the app`,
    code: 'unknown-query',
  });

/** Detaching, listing, attaching and ending the SOW views of a page that reloaded. */
export class SowReattach {
  readonly #options: SowReattachOptions;

  constructor(options: SowReattachOptions) {
    this.#options = options;
  }

  /** The caller's views, live and ended, with whether a page receives them. */
  list(ownerId: string): SowViewInfo[] {
    return this.#options.sow.viewsOf(ownerId).map((view) => this.#info(view));
  }

  /**
   * Sends the view's current records to the caller as batches and lets its live batches flow
   * again. Changes still pending are part of the snapshot, so they are dropped from the queue.
   */
  attach(queryId: string, ownerId: string): SowViewInfo {
    const view = this.#options.sow.viewsOf(ownerId).find((v) => v.queryId === queryId);
    if (view === undefined) throw unknownView(queryId);
    view.pending.clear();
    view.detached = false;
    const max = Math.max(1, this.#options.maxBatch ?? 20_000);
    let chunk: SowBatch['upserts'] = [];
    const send = (): void => {
      view.batches++;
      this.#options.deliverBatch(ownerId, {
        queryId,
        upserts: chunk,
        removals: [],
        progress: view.progress(this.#now()),
        conflated: 0,
        conflatedTotal: view.conflatedTotal,
      });
      chunk = [];
    };
    for (const [key, data] of view.records.entries()) {
      chunk.push({ key, data });
      if (chunk.length >= max) send();
    }
    // The last batch goes even when empty: it carries the progress (phase, counts) to the page.
    send();
    view.dirty = false;
    return this.#info(view);
  }

  /** The owner's page went away: its views hold their deliveries. */
  detachOwner(ownerId: string): void {
    for (const view of this.#options.sow.viewsOf(ownerId)) view.detached = true;
  }

  /** Cancels the owner's views that no page attached again; returns how many. */
  async endDetached(ownerId: string): Promise<number> {
    const detached = this.#options.sow.viewsOf(ownerId).filter((v) => v.detached);
    await Promise.all(
      detached.map((v) => this.#options.sow.cancel(v.queryId, ownerId).catch(() => undefined)),
    );
    return detached.length;
  }

  #info(view: SowView): SowViewInfo {
    return {
      queryId: view.queryId,
      spec: structuredClone(view.spec),
      progress: view.progress(this.#now()),
      attached: !view.detached,
      ...(view.endedWith === undefined ? {} : { ended: view.endedWith.reason }),
      ...(view.endedWith?.error === undefined ? {} : { error: view.endedWith.error }),
    };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}
