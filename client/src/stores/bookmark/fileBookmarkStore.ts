/**
 * FileBookmarkStore (the seed's MMapBookmarkStore): the bookmark state of
 * {@link TrackingBookmarkStore} plus an append-only log of every operation in a
 * checksummed {@link RecordFile}. Reopening replays the log, so after a process kill the
 * store answers `getMostRecent` and `isDiscarded` exactly as before. `prune()` (and an
 * automatic prune once enough records accumulated) rewrites the file as a snapshot.
 *
 * Record kinds: `L` log {s, b, i}, `D` discard {s, i}, `P` persisted {s, b}, `X` purge {s?},
 * `S` subscription snapshot {s, n, r, p, st, pubs, e: [[i, b, discarded]]}.
 */
import * as fs from 'node:fs';
import {
  RecordFile,
  decodeBody,
  encodeBody,
  type OpenedRecordFile,
  type StoreSyncPolicy,
} from '../recordFile.js';
import type { StoreRecoveryReport } from '../storeErrors.js';
import { StoreLock } from '../storeLock.js';
import type { RecoverableBookmarkStore } from './bookmarkStore.js';
import { parseBookmark } from './bookmark.js';
import { SubscriptionBookmarks } from './subscriptionBookmarks.js';
import { TrackingBookmarkStore } from './trackingBookmarkStore.js';

const MAGIC = 'AMPSBMK1';

/** Options of {@link FileBookmarkStore}. */
export interface FileBookmarkStoreOptions {
  /** fsync policy, see {@link RecordFile} (default `none`: survives a process kill). */
  sync?: StoreSyncPolicy;
  /** Prune automatically after this many appended records (default 20 000; 0 disables). */
  autoPruneRecords?: number;
  /**
   * After reopening an existing file, add the file's last modification time (UTC timestamp)
   * to each recovered subscription's resume list until its next persisted ack, so a server
   * that knows none of the bookmarks can still start near the right point (seed option).
   */
  useLastModifiedTime?: boolean;
}

/** Formats a time as an AMPS bookmark timestamp `YYYYMMDDTHHMMSSZ`. */
export function bookmarkTimestamp(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function str(meta: Record<string, unknown>, key: string): string {
  const value = meta[key];
  if (typeof value !== 'string') throw new Error(`field "${key}" is not a string`);
  return value;
}

function optStr(meta: Record<string, unknown>, key: string): string | undefined {
  return meta[key] === undefined ? undefined : str(meta, key);
}

function big(meta: Record<string, unknown>, key: string): bigint {
  const text = str(meta, key);
  if (!/^\d+$/.test(text)) throw new Error(`field "${key}" is not an unsigned integer: ${text}`);
  return BigInt(text);
}

/** A bookmark store that survives restarts in a file. */
export class FileBookmarkStore extends TrackingBookmarkStore implements RecoverableBookmarkStore {
  /** {@inheritDoc RecoverableBookmarkStore.recovery} */
  readonly recovery: StoreRecoveryReport;
  private readonly file: RecordFile;
  private readonly lock: StoreLock;
  private readonly autoPrune: number;
  private appended = 0;

  /**
   * Opens or creates the store at `path`, locking it for this store object (see
   * {@link StoreLock}); `close()` releases the lock.
   * @throws UsageError (code `store locked`) when the file is already open in a live process,
   *   this one included
   * @throws StoreCorruptError when the file is non-empty and nothing valid can be read
   */
  constructor(path: string, options: FileBookmarkStoreOptions = {}) {
    super();
    this.autoPrune = options.autoPruneRecords ?? 20_000;
    this.lock = StoreLock.acquire(path);
    let opened: OpenedRecordFile;
    try {
      const modified =
        options.useLastModifiedTime && fs.existsSync(path) ? fs.statSync(path).mtime : undefined;
      opened = RecordFile.open(path, MAGIC, options.sync ?? 'none', (body) => this.apply(body));
      if (modified && opened.recovery.recoveredRecords > 0) {
        const timestamp = bookmarkTimestamp(modified);
        for (const sub of this.subs.values()) sub.setRecoveryTimestamp(timestamp);
      }
    } catch (error) {
      this.lock.release();
      throw error;
    }
    this.file = opened.file;
    this.recovery = opened.recovery;
  }

  /** Path of the store file. */
  get path(): string {
    return this.file.path;
  }

  private apply(body: Buffer): void {
    const { kind, meta } = decodeBody(body);
    switch (kind) {
      case 'L': {
        const subId = str(meta, 's');
        const bookmark = str(meta, 'b');
        const index = big(meta, 'i');
        this.sub(subId).log(bookmark, index === 0n ? undefined : index);
        return;
      }
      case 'D':
        this.subs.get(str(meta, 's'))?.discard(big(meta, 'i'));
        return;
      case 'P':
        this.sub(str(meta, 's')).persisted(str(meta, 'b'));
        return;
      case 'X': {
        const subId = optStr(meta, 's');
        if (subId === undefined) this.subs.clear();
        else this.subs.delete(subId);
        return;
      }
      case 'S':
        this.applySnapshot(meta);
        return;
      default:
        throw new Error(`unknown record kind "${kind}"`);
    }
  }

  private applySnapshot(meta: Record<string, unknown>): void {
    const subId = str(meta, 's');
    const pubs = meta.pubs;
    const entries = meta.e;
    if (!Array.isArray(pubs) || !Array.isArray(entries)) throw new Error('snapshot lists are missing');
    const snap = SubscriptionBookmarks.fromSnapshot({
      subId,
      nextIndex: big(meta, 'n'),
      recent: optStr(meta, 'r'),
      lastPersisted: optStr(meta, 'p'),
      startPoint: optStr(meta, 'st'),
      publishers: pubs.map((pair: unknown) => {
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error('bad publisher pair');
        return [BigInt(String(pair[0])), BigInt(String(pair[1]))] as [bigint, bigint];
      }),
      entries: entries.map((item: unknown) => {
        if (!Array.isArray(item) || item.length !== 3 || typeof item[1] !== 'string') {
          throw new Error('bad snapshot entry');
        }
        const bookmark = item[1];
        const { publisherId, sequence } = parseBookmark(bookmark);
        return {
          index: BigInt(String(item[0])),
          bookmark,
          publisherId,
          sequence,
          discarded: item[2] === true,
        };
      }),
    });
    this.subs.set(subId, snap);
  }

  private write(kind: string, meta: Record<string, unknown>): void {
    this.file.append(encodeBody(kind, meta));
    this.appended++;
    if (this.autoPrune > 0 && this.appended >= this.autoPrune) this.prune();
  }

  protected onLogged(subId: string, bookmark: string, index: bigint): void {
    this.write('L', { s: subId, b: bookmark, i: index.toString() });
  }

  protected onDiscarded(subId: string, index: bigint): void {
    this.write('D', { s: subId, i: index.toString() });
  }

  protected onPersisted(subId: string, bookmark: string): void {
    this.write('P', { s: subId, b: bookmark });
  }

  protected onPurged(subId: string | undefined): void {
    this.write('X', subId === undefined ? {} : { s: subId });
  }

  /** {@inheritDoc RecoverableBookmarkStore.prune} */
  prune(): void {
    this.assertOpen();
    const bodies = [...this.subs.values()].map((sub) => {
      const snap = sub.snapshot();
      return encodeBody('S', {
        s: snap.subId,
        n: snap.nextIndex.toString(),
        r: snap.recent,
        p: snap.lastPersisted,
        st: snap.startPoint,
        pubs: snap.publishers.map(([pub, seq]) => [pub.toString(), seq.toString()]),
        e: snap.entries.map((entry) => [entry.index.toString(), entry.bookmark, entry.discarded]),
      });
    });
    this.file.rewrite(bodies);
    this.appended = 0;
  }

  /** Forces everything written so far to stable storage (fdatasync). */
  sync(): void {
    this.assertOpen();
    this.file.flushToDisk();
  }

  protected onClose(): void {
    try {
      this.file.close();
    } finally {
      this.lock.release();
    }
  }
}
