/**
 * A live view's records after the HA client resubscribed it (failover, reconnect): the server
 * sends the view's SOW again (group_begin, sow records, group_end). Records it no longer
 * holds — deleted, expired or changed out of the filter while the view was away — would
 * otherwise stay in main's map and on the screen; at the group_end of the resent SOW they
 * leave with the reason {@link RESYNC_REASON}. Records resent unchanged are not delivered again.
 */
import type { SowPending } from './sowPending.js';
import type { SowRecords } from './sowRecords.js';

/** The removal reason of a record missing from the SOW resent after a resubscribe. */
export const RESYNC_REASON = 'resync';

/** The keys the resent SOW held, collected between its group_begin and group_end. */
export class SowResync {
  readonly #seen = new Set<string>();

  /** A record of the resent SOW; true when it differs from what the view holds (deliver it). */
  seen(records: SowRecords, key: string, text: string): boolean {
    this.#seen.add(key);
    return records.data(key) !== text;
  }

  /** A publish that arrived while the SOW was resent: the record exists on the server. */
  mark(key: string): void {
    this.#seen.add(key);
  }

  /** The resent SOW is complete: drops (and queues the removal of) every record it lacked. */
  finish(records: SowRecords, pending: SowPending): number {
    const gone: string[] = [];
    for (const [key] of records.entries()) if (!this.#seen.has(key)) gone.push(key);
    for (const key of gone) {
      records.delete(key);
      pending.remove(key, RESYNC_REASON);
    }
    return gone.length;
  }
}
