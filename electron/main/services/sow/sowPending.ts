/**
 * The changes of one view waiting for the next tick, keyed by SowKey: within a tick the
 * latest state of a key wins and every state it replaces is counted as conflated. Changed
 * field paths of delta updates to one key are united, so a flash shows all that changed.
 */
import type { OofReason, SowRemoval, SowUpsert } from '../../../../common/src/dto/sow.js';

type Change = { kind: 'upsert'; changed: Set<string> | null } | { kind: 'remove'; reason: OofReason };

/** What one tick delivers. */
export interface TakenChanges {
  upserts: SowUpsert[];
  removals: SowRemoval[];
  conflated: number;
}

/** Pending changes of one view. */
export class SowPending {
  readonly #changes = new Map<string, Change>();
  #conflated = 0;

  get size(): number {
    return this.#changes.size;
  }

  /**
   * A new or changed record. `changed` lists the field paths a delta carried; undefined means
   * the whole record (a sow record, a full publish), which no later delta narrows again.
   */
  upsert(key: string, changed?: readonly string[]): void {
    const prior = this.#changes.get(key);
    if (prior === undefined) {
      this.#changes.set(key, { kind: 'upsert', changed: changed === undefined ? null : new Set(changed) });
      return;
    }
    this.#conflated++;
    if (prior.kind === 'upsert' && prior.changed !== null && changed !== undefined) {
      for (const path of changed) prior.changed.add(path);
      // Keep arrival order: a key that changes again moves to the end of the tick.
      this.#changes.delete(key);
      this.#changes.set(key, prior);
      return;
    }
    this.#changes.delete(key);
    this.#changes.set(key, { kind: 'upsert', changed: null });
  }

  /** A record left the view for `reason`; any pending update of it is folded into the removal. */
  remove(key: string, reason: OofReason): void {
    if (this.#changes.has(key)) {
      this.#conflated++;
      this.#changes.delete(key);
    }
    this.#changes.set(key, { kind: 'remove', reason });
  }

  /**
   * Takes up to `max` changes, oldest first, reading each upsert's current text with `data`
   * (a key whose record is gone by now is skipped). The rest waits for the next tick.
   */
  take(max: number, data: (key: string) => string | undefined): TakenChanges {
    const upserts: SowUpsert[] = [];
    const removals: SowRemoval[] = [];
    let n = 0;
    for (const [key, change] of this.#changes) {
      if (n >= max) break;
      n++;
      this.#changes.delete(key);
      if (change.kind === 'remove') {
        removals.push({ key, reason: change.reason });
        continue;
      }
      const text = data(key);
      if (text === undefined) continue;
      const upsert: SowUpsert = { key, data: text };
      if (change.changed !== null) upsert.changed = [...change.changed];
      upserts.push(upsert);
    }
    const conflated = this.#conflated;
    this.#conflated = 0;
    return { upserts, removals, conflated };
  }

  clear(): void {
    this.#changes.clear();
    this.#conflated = 0;
  }
}
