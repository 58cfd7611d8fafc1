/**
 * SOWRecoveryPointAdapter (seed): saves each subscription's resume point as a JSON record in
 * a SOW topic keyed by client name and sub id, and reads them back with a SOW query. It uses
 * a small injected {@link SowRecoveryClient} instead of the Client class; that client must
 * not be the client whose subscriptions are tracked.
 */
import type { RecoveryPoint, RecoveryPointAdapter } from './recoveryPoint.js';

/** What the adapter needs from an AMPS client (JSON message type, logged on). */
export interface SowRecoveryClient {
  /** Publishes one JSON document to `topic`. */
  publish(topic: string, json: string): void | Promise<void>;
  /** Runs a SOW query and yields each matching record's JSON text. */
  sowQuery(topic: string, filter: string): AsyncIterable<string | Uint8Array>;
  /** Deletes the records matching `filter`; when absent, purge publishes empty bookmarks instead. */
  sowDelete?(topic: string, filter: string): Promise<unknown>;
  /** Closes the client (called by `close` when `closeClient` is set). */
  close?(): void | Promise<void>;
}

/** Options of {@link SowRecoveryPointAdapter}. */
export interface SowRecoveryPointAdapterOptions {
  /** Name of the client whose subscriptions are tracked (the key with the sub id). */
  trackedClientName: string;
  /** SOW topic holding the records (default `/ADMIN/bookmark_store`). */
  topic?: string;
  /** Field holding the client name (default `clientName`). */
  clientNameField?: string;
  /** Field holding the sub id (default `subId`). */
  subIdField?: string;
  /** Field holding the bookmark (default `bookmark`). */
  bookmarkField?: string;
  /** Close the injected client in `close` (default false). */
  closeClient?: boolean;
  /** Receives failures of background publishes and unreadable records. */
  onError?: (error: Error) => void;
}

/** Quotes `text` as an AMPS filter string literal (spec §14.1). */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A recovery point adapter that stores resume points in an AMPS SOW topic. */
export class SowRecoveryPointAdapter implements RecoveryPointAdapter {
  private readonly topic: string;
  private readonly nameField: string;
  private readonly subField: string;
  private readonly bookmarkField: string;
  private iterator: AsyncIterator<string | Uint8Array> | undefined;
  private done = false;
  private readonly known = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private listener: ((error: Error) => void) | undefined;

  constructor(
    private readonly client: SowRecoveryClient,
    private readonly options: SowRecoveryPointAdapterOptions,
  ) {
    if (options.trackedClientName.length === 0) throw new RangeError('trackedClientName must not be empty');
    this.topic = options.topic ?? '/ADMIN/bookmark_store';
    this.nameField = options.clientNameField ?? 'clientName';
    this.subField = options.subIdField ?? 'subId';
    this.bookmarkField = options.bookmarkField ?? 'bookmark';
    this.listener = options.onError;
  }

  private filter(subId?: string): string {
    const byName = `/${this.nameField} = ${quote(this.options.trackedClientName)}`;
    return subId === undefined ? byName : `${byName} AND /${this.subField} = ${quote(subId)}`;
  }

  private report(error: unknown): void {
    this.listener?.(error instanceof Error ? error : new Error(String(error)));
  }

  /** Sets the listener for absorbed failures (background publishes, unreadable records). */
  setExceptionListener(listener: ((error: Error) => void) | undefined): void {
    this.listener = listener;
  }

  /** The listener for absorbed failures, if any. */
  getExceptionListener(): ((error: Error) => void) | undefined {
    return this.listener;
  }

  /** Reads the next saved point from the SOW (records with an empty bookmark are skipped). */
  async next(): Promise<RecoveryPoint | undefined> {
    if (this.done) return undefined;
    this.iterator ??= this.client.sowQuery(this.topic, this.filter())[Symbol.asyncIterator]();
    for (;;) {
      const item = await this.iterator.next();
      if (item.done === true) {
        this.done = true;
        return undefined;
      }
      const text = typeof item.value === 'string' ? item.value : Buffer.from(item.value).toString('utf8');
      const point = this.parse(text);
      if (point) return point;
    }
  }

  private parse(text: string): RecoveryPoint | undefined {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      this.report(new Error(`recovery record is not JSON: ${(error as Error).message}`));
      return undefined;
    }
    if (typeof record !== 'object' || record === null) return undefined;
    const fields = record as Record<string, unknown>;
    const subId = fields[this.subField];
    const bookmark = fields[this.bookmarkField];
    if (typeof subId !== 'string' || typeof bookmark !== 'string') {
      this.report(
        new Error(`recovery record lacks string fields ${this.subField} and ${this.bookmarkField}`),
      );
      return undefined;
    }
    if (bookmark.length === 0) return undefined;
    this.known.add(subId);
    return { subId, bookmark };
  }

  private send(subId: string, bookmark: string): Promise<void> {
    const json = JSON.stringify({
      [this.nameField]: this.options.trackedClientName,
      [this.subField]: subId,
      [this.bookmarkField]: bookmark,
    });
    const sent = Promise.resolve()
      .then(() => this.client.publish(this.topic, json))
      .catch((error: unknown) => this.report(error))
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
    return sent;
  }

  /** Publishes the point; failures go to `onError`. */
  update(point: RecoveryPoint): void {
    if (this.closed) return;
    this.known.add(point.subId);
    void this.send(point.subId, point.bookmark);
  }

  /** Deletes the saved points (sow_delete, or empty-bookmark records when the client cannot delete). */
  async purge(subId?: string): Promise<void> {
    if (this.client.sowDelete) {
      await this.client.sowDelete(this.topic, this.filter(subId));
    } else {
      const ids = subId === undefined ? [...this.known] : [subId];
      await Promise.all(ids.map((id) => this.send(id, '')));
    }
    if (subId === undefined) this.known.clear();
    else this.known.delete(subId);
  }

  /** Waits for publishes in flight, then closes the client when `closeClient` was set. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.inFlight]);
    await this.iterator?.return?.();
    if (this.options.closeClient) await this.client.close?.();
  }
}
