/**
 * One writer and any number of followers per journal folder.
 *
 * The writer holds the journal's lock file `sandbox.journal.lock` (the client's store lock:
 * one JSON line naming the owner's pid, start time and host, created whole and atomically; a
 * lock whose owner no longer exists, a SIGKILLed one included, is taken over, and of several
 * processes taking it over at once exactly one wins). So two processes never write one journal.
 *
 * A follower (a warm standby, `--standby`) reads the journal while another process writes it:
 * each {@link JournalFollower.catchUp} reads only the bytes appended since its last read (it
 * keeps the offset where the last whole record ended) and applies the whole records among
 * them; a record still being written is read again next time. When the writer is gone the
 * follower takes the lock, reads what is left, truncates a torn last record (one the writer
 * was killed writing: never acknowledged) and becomes the writer where the old one stopped.
 */
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../client/src/errors.js';
import {
  isStoreLockOwnerAlive,
  parseStoreLock,
  StoreLock,
  storeLockPath,
} from '../../client/src/stores/storeLock.js';
import type { StoreLockOwner } from '../../client/src/stores/storeLock.js';
import type { Broker } from './broker.js';
import type { FileJournal } from './journalFile.js';
import { applyRecord, encodeJournalRecord, JOURNAL_FILE, scanJournal } from './journalFile.js';
import { addOutputBarrier } from './net/outputBarrier.js';

/** Thrown when a live process already writes the journal. */
export class JournalInUseError extends Error {
  override readonly name = 'JournalInUseError';
}

/** The journal file of a journal folder, created (empty) when missing. */
export function journalFileOf(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, JOURNAL_FILE);
  // The file exists before its lock is looked at, so every process names the same lock file
  // (the lock's path follows symbolic links of the file, which needs the file).
  closeSync(openSync(path, constants.O_RDONLY | constants.O_CREAT, 0o644));
  return path;
}

/** The owner named by the journal lock file `lockFile`, alive or not (undefined: none, or unreadable). */
export function journalLockOwner(lockFile: string): StoreLockOwner | undefined {
  let raw: Buffer;
  try {
    raw = readFileSync(lockFile);
  } catch {
    return undefined;
  }
  const owner = parseStoreLock(raw);
  return typeof owner === 'string' ? undefined : owner;
}

/** The writer of the journal whose lock file is `lockFile`, when it is alive (or on another host). */
export function liveJournalWriter(lockFile: string): StoreLockOwner | undefined {
  const owner = journalLockOwner(lockFile);
  return owner && isStoreLockOwnerAlive(owner) ? owner : undefined;
}

/**
 * Takes the writer lock of the journal in `dir`.
 * @throws JournalInUseError naming the writer's pid when a live process holds it
 */
export function lockJournal(dir: string): StoreLock {
  const path = journalFileOf(dir);
  try {
    return StoreLock.acquire(path);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const owner = liveJournalWriter(storeLockPath(path));
    const who = owner ? `another sandbox (pid ${owner.pid})` : 'another sandbox';
    throw new JournalInUseError(
      `journal ${path} is written by ${who}, and a journal has one writer at a time; ` +
        'start this sandbox with --standby to follow the journal and take over when that one ends',
    );
  }
}

/** Buffered journal bytes written at once when they reach this size. */
const WRITE_BATCH_BYTES = 256 * 1024;

/**
 * The journal open for appends at `start`. Records are gathered and written with one system
 * call at the end of the current turn, when 256 KiB are waiting, or before any byte leaves
 * for a client (the output barrier), whichever comes first: a process killed at any moment has
 * written every record a client was sent an ack or a message for; what it had not written yet
 * no client had heard of (the publishers still hold those messages and publish them again).
 */
function journalWriter(
  fd: number,
  start: number,
  lock: StoreLock,
  recovered: number,
  truncatedBytes: number,
): FileJournal {
  let position = start;
  let open = true;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let scheduled = false;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    const out = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let done = 0;
    while (done < out.length) done += writeSync(fd, out, done, out.length - done, position + done);
    position += out.length;
  };
  const flushSoon = (): void => {
    scheduled = false;
    if (open) flush();
  };
  const removeBarrier = addOutputBarrier(flush);
  return {
    recovered,
    truncatedBytes,
    append(record) {
      if (!open) return;
      const bytes = encodeJournalRecord(record);
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= WRITE_BATCH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        process.nextTick(flushSoon);
      }
    },
    close() {
      if (!open) return;
      flush();
      open = false;
      removeBarrier();
      closeSync(fd);
      lock.release();
    },
  };
}

/** Reads a journal another process writes, applying its records to a broker as they appear. */
export class JournalFollower {
  /** The journal file. */
  readonly path: string;
  /** Records applied so far. */
  records = 0;
  private fd: number | undefined;
  /** Where the last whole record read ends. */
  private offset = 0;
  /** Why the last read stopped before the end of the file, if it did. */
  private problem: string | undefined;

  constructor(
    dir: string,
    private readonly broker: Broker,
  ) {
    this.path = journalFileOf(dir);
    this.fd = openSync(this.path, constants.O_RDONLY);
  }

  /** Bytes of whole records read so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Reads the bytes appended since the last call and applies the whole records; returns how many. */
  catchUp(): number {
    if (this.fd === undefined) throw new Error(`journal ${this.path}: the follower is closed`);
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return 0;
    const buf = Buffer.allocUnsafe(size - this.offset);
    let read = 0;
    while (read < buf.length) {
      const n = readSync(this.fd, buf, read, buf.length - read, this.offset + read);
      if (n === 0) break;
      read += n;
    }
    const scan = scanJournal(buf.subarray(0, read), this.offset);
    for (const r of scan.records) applyRecord(this.broker, r);
    this.offset += scan.goodBytes;
    this.records += scan.records.length;
    this.problem = scan.goodBytes < read ? scan.problem : undefined;
    return scan.records.length;
  }

  /**
   * Becomes the journal's writer under `lock` (taken by the caller): reads the rest, truncates a
   * damaged or torn tail (reported), and returns the journal open for appends after the last record.
   */
  takeOver(lock: StoreLock): FileJournal {
    this.catchUp();
    const fd = openSync(this.path, constants.O_RDWR);
    try {
      const size = fstatSync(fd).size;
      let truncatedBytes = 0;
      if (size > this.offset) {
        truncatedBytes = size - this.offset;
        this.broker.log(
          'error',
          `journal ${this.path}: ${this.problem ?? 'corrupt tail'}; kept ${this.records} records, truncating ${truncatedBytes} bytes`,
        );
        ftruncateSync(fd, this.offset);
      }
      if (this.records > 0)
        this.broker.log('info', `journal ${this.path}: recovered ${this.records} records`);
      this.close();
      return journalWriter(fd, this.offset, lock, this.records, truncatedBytes);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Stops following (the file stays as it is). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Opens (creating if needed) the journal in `dir` as its one writer, recovering the broker's
 * state from it.
 * @throws JournalInUseError when a live process writes the journal
 */
export function openJournal(dir: string, broker: Broker): FileJournal {
  const lock = lockJournal(dir);
  let follower: JournalFollower | undefined;
  try {
    follower = new JournalFollower(dir, broker);
    return follower.takeOver(lock);
  } catch (e) {
    follower?.close();
    lock.release();
    throw e;
  }
}
