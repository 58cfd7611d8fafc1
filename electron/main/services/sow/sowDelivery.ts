/**
 * Delivery of SOW views to the window that owns them: each tick, one batch per view with
 * what changed since the last (the latest state of a key wins, what was folded is counted),
 * and at a view's end what was still pending followed by its ended event.
 */
import type { SowBatch, SowEndReason, SowEndedEvent } from '../../../../common/src/dto/sow.js';
import type { SerializedError } from '../../../../common/src/dto/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { SowView } from './sowView.js';

/** Where batches and ended events go (the SOW service's options). */
export interface SowDeliveryOptions {
  deliverBatch(ownerId: string, batch: SowBatch): void;
  deliverEnded(ownerId: string, event: SowEndedEvent): void;
  logger: Logger;
  /** Most changes in one batch (default 20 000); the rest follow on the next ticks. */
  maxBatch?: number;
}

/** Batches and ends of the views held in `views` (the SOW service's map, read live). */
export class SowDelivery {
  readonly #views: ReadonlyMap<string, SowView>;
  readonly #options: SowDeliveryOptions;
  readonly #now: () => number;

  constructor(views: ReadonlyMap<string, SowView>, options: SowDeliveryOptions, now: () => number) {
    this.#views = views;
    this.#options = options;
    this.#now = now;
  }

  /** Delivers every view that has something pending (ended and detached ones excepted). */
  tick(): void {
    for (const view of this.#views.values()) {
      if (view.ended || view.detached) continue;
      if (view.pending.size > 0 || view.dirty) this.deliver(view);
    }
  }

  /** One batch of a view's pending changes to its owner. */
  deliver(view: SowView): void {
    const taken = view.pending.take(this.#options.maxBatch ?? 20_000, (key) => view.records.data(key));
    view.conflatedTotal += taken.conflated;
    view.batches++;
    view.dirty = false;
    this.#options.deliverBatch(view.ownerId, {
      queryId: view.queryId,
      upserts: taken.upserts,
      removals: taken.removals,
      progress: view.progress(this.#now()),
      conflated: taken.conflated,
      conflatedTotal: view.conflatedTotal,
    });
  }

  /** Delivers what is still pending, then the ended event; the records stay until cancel. */
  end(view: SowView, reason: SowEndReason, error?: SerializedError): void {
    if (view.ended) return;
    if (this.#views.get(view.queryId) !== view) {
      // A replacement that never took over: its end is not the view's.
      view.ended = true;
      if (error !== undefined) view.failure = error;
      return;
    }
    if (reason !== 'cancelled' && !view.detached) {
      while (view.pending.size > 0) this.deliver(view);
      if (view.dirty) this.deliver(view);
    }
    view.ended = true;
    view.pending.clear();
    view.endedWith = error === undefined ? { reason } : { reason, error };
    if (reason === 'error' || reason === 'connection-closed') {
      this.#options.logger.info(
        `SOW view ${view.queryId} ended: ${reason}${error ? ` (${error.message})` : ''}`,
      );
    }
    this.#options.deliverEnded(view.ownerId, {
      queryId: view.queryId,
      reason,
      progress: view.progress(this.#now()),
      ...(error === undefined ? {} : { error }),
    });
  }
}
