/**
 * Where a replay is: the time of the newest message replayed (its `timestamp` header, which a
 * replay always asks for) and whether the `completed` ack arrived (replay over, live from
 * there). Fed with the list's snapshots; reads only the rows each snapshot added.
 */
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';

/** The list as the tracker reads it. */
export interface ProgressList {
  count: number;
  newestOnTop: boolean;
  rowAt(row: number): MessageDto | undefined;
  lastChange: { added: number; removed: number };
  version: number;
}

/** What the readout shows. */
export interface ReplayProgress {
  /** `timestamp` of the newest message seen (AMPS form, UTC), if any carried one. */
  at: string | undefined;
  /** The completed ack (command `ack`), once it arrived. */
  completed: MessageDto | undefined;
  /** Messages seen before the completed ack. */
  replayed: number;
}

/** The boundary row: the completed ack delivered as a message. */
export const isReplayBoundary = (m: MessageDto): boolean => m.command === 'ack';

/** Most rows read per snapshot (a burst larger than this is read from its newest end). */
const MAX_SCAN = 10_000;

/** Follows a replay through the list's snapshots. */
export class ReplayTracker {
  #progress: ReplayProgress = { at: undefined, completed: undefined, replayed: 0 };
  #version = -1;

  get progress(): ReplayProgress {
    return this.#progress;
  }

  /** Reads the rows `list` added since the last call; returns the progress. */
  observe(list: ProgressList): ReplayProgress {
    if (list.version === this.#version) return this.#progress;
    this.#version = list.version;
    const added = Math.min(list.lastChange.added, list.count, MAX_SCAN);
    if (added === 0) return this.#progress;
    let { at, completed, replayed } = this.#progress;
    // Oldest first among the added rows, so the newest timestamp wins.
    for (let i = added - 1; i >= 0; i--) {
      const message = list.rowAt(list.newestOnTop ? i : list.count - 1 - i);
      if (message === undefined) continue;
      if (isReplayBoundary(message)) {
        completed ??= message;
        continue;
      }
      if (completed === undefined) replayed++;
      if (message.timestamp !== undefined) at = message.timestamp;
    }
    this.#progress = { at, completed, replayed };
    return this.#progress;
  }

  reset(): void {
    this.#progress = { at: undefined, completed: undefined, replayed: 0 };
    this.#version = -1;
  }
}
