/**
 * The publish store interface (spec §12.5, §5.5, §6.3; seed Store, MemoryPublishStore,
 * PublishStore, HybridPublishStore). A publish store assigns each outgoing publish,
 * delta_publish or sow_delete its sequence number `s`, keeps it until a persisted ack covers
 * it (`discardUpTo`), and replays what is left after a reconnect, in sequence order.
 *
 * How a client uses it: `store` before sending (then send the stored header, which carries
 * `sequence`); on a persisted ack with `s` → `discardUpTo(s)`; after logon →
 * `discardUpTo(logonAck.s)` then `replay(send)`; `flush(timeout)` for publishFlush.
 */
import type { HeaderFields } from '../../protocol/fields.js';
import type { StoreRecoveryReport } from '../storeErrors.js';

/** A message handed to the store: the header to send and its payload. */
export interface PublishToStore {
  /** Logical header fields; `sequence` is set by the store. */
  header: HeaderFields;
  payload?: Uint8Array;
}

/** A message held by the store. */
export interface StoredPublish {
  /** The sequence number `s` assigned by the store. */
  sequence: bigint;
  /** The header to send, with `sequence` set to the decimal sequence. */
  header: HeaderFields;
  /** The payload (empty when there is none). */
  payload: Uint8Array;
}

/** Receives replayed messages. */
export type PublishReplaySink = (message: StoredPublish) => void;

/** The publish store interface, implemented by the memory, file and hybrid stores. */
export interface PublishStore {
  /**
   * Stores a copy of `message` under the next sequence number and returns it. Sequences are
   * strictly increasing and above anything stored or discarded before.
   */
  store(message: PublishToStore): bigint;
  /**
   * Everything up to and including `seq` is persisted by the server: drop it. Also raises
   * the next sequence above `seq` (the logon ack case). Lower values than before are ignored.
   */
  discardUpTo(seq: bigint): void;
  /** Calls `sink` for every held message, in sequence order. */
  replay(sink: PublishReplaySink): void;
  /** Calls `sink` for the held message `seq`; returns false when it is not held. */
  replaySingle(sink: PublishReplaySink, seq: bigint): boolean;
  /** Number of held (not yet acknowledged) messages. */
  unpersistedCount(): number;
  /** Sequence of the oldest held message, or undefined when empty. */
  getLowestUnpersisted(): bigint | undefined;
  /** Highest sequence discarded so far (0n when none). */
  getLastPersisted(): bigint;
  /**
   * Resolves once every message stored before the call has been discarded; rejects with
   * TimedOutError after `timeoutMs`, or with StoreError when the store closes first.
   */
  flush(timeoutMs: number): Promise<void>;
  /** Releases resources; pending flushes reject. */
  close(): void;
}

/** A publish store backed by a file, which can report what it recovered on open. */
export interface RecoverablePublishStore extends PublishStore {
  /** What opening the store file found. */
  readonly recovery: StoreRecoveryReport;
  /** Compacts the file to the held messages (atomic rewrite). */
  prune(): void;
}

/** Options shared by the publish stores. */
export interface PublishStoreOptions {
  /**
   * Clock for the first sequence of a fresh store, which starts at `now() × 1 000 000` as the
   * JavaScript client does, so a restarted client is not taken for a duplicate publisher.
   */
  now?: () => number;
}
