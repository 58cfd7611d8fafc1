/**
 * Errors and reports shared by the file-backed bookmark and publish stores.
 */
import { StoreError } from '../errors.js';

/**
 * What a file-backed store found when it opened its file. A clean open has `problem: null`
 * and `droppedBytes: 0`; a store that lost a torn or corrupt tail says so here instead of
 * silently starting with less.
 */
export interface StoreRecoveryReport {
  /** Records read back and applied. */
  recoveredRecords: number;
  /** Bytes at the end of the file that could not be read and were cut off. */
  droppedBytes: number;
  /** What was wrong (torn last record, bad checksum, ...) or null when the file was clean. */
  problem: string | null;
  /** Offset of the first unreadable byte, when there was a problem. */
  problemOffset?: number;
  /**
   * Where the original file was copied before its bad tail was cut off, when there was a
   * problem: `<file>.corrupt`, or `<file>.corrupt.N` when earlier copies exist (none is overwritten).
   */
  preservedCopy?: string;
  /**
   * Records in the cut-off tail (the damaged one included), when there was a problem: what was
   * NOT replayed. Counted by their length fields; see {@link setAsideCountComplete}.
   */
  setAsideRecords?: number;
  /** False when a damaged length field stopped the count: at least `setAsideRecords` were set aside. */
  setAsideCountComplete?: boolean;
}

/**
 * A store file holds bytes but nothing valid can be read from it (wrong magic, first record
 * corrupt). The file is left exactly as it was so it can be inspected or restored.
 */
export class StoreCorruptError extends StoreError {
  override name = 'StoreCorruptError';
  /** The store file. */
  readonly file: string;
  /** Offset of the first byte that could not be read. */
  readonly offset: number;

  constructor(file: string, offset: number, problem: string) {
    super(`store file ${file} is corrupt at offset ${offset}: ${problem}`, { code: 'store corrupt' });
    this.file = file;
    this.offset = offset;
  }
}
