/**
 * One writer per store file: an advisory lock file `<store file>.lock` next to each file-backed
 * store, as the official AMPS clients' file stores are single-writer.
 *
 * The lock file holds one JSON line naming its owner: pid, process start time (ms since the
 * epoch), host name and a random token that tells this lock apart from any other. It appears
 * with its whole content at once: it is written to a private temporary file, then hard-linked
 * to `<file>.lock`, which fails when the name exists, so a reader never sees a half-written lock
 * (where hard links are not supported, an exclusive create plus one write is used instead).
 *
 * Opening a store whose lock is held by a live process, this one included, fails at once with
 * a {@link UsageError} (code `store locked`) naming the store file, the lock file and the pid.
 * A lock is stale when its owner is gone: `process.kill(pid, 0)` answers ESRCH, the pid is a
 * zombie (ended, not yet collected by its parent; Linux), or the pid is this process's own but
 * the start time is not (a previous process that had the same pid).
 * A lock file whose content is not a valid owner is stale too. A lock written on another host
 * is never taken as stale, since its pid cannot be checked from here.
 *
 * Taking over a stale lock is safe against racing openers: the taker first claims that very
 * lock by exclusively creating `<file>.lock.takeover-<digest of its content>`, checks under
 * the claim that the lock file still has the same content, removes it, drops the claim and
 * then retries the exclusive create once. Only one process can hold the claim, and nobody
 * else removes a lock, so at most one opener wins; the others fail with a clear error.
 *
 * The lock is released by {@link StoreLock.release} (the stores' `close()`), and on process
 * `exit` for stores still open. A process killed by a signal leaves its lock behind; the next
 * opener finds the owner gone and takes the lock over.
 *
 * Why ours and not proper-lockfile (issue 15, `npm run bench -- codecs`): it locks with a
 * `mkdir` and judges staleness by mtime alone, kept fresh by a timer touching the lock every
 * `stale / 2`. It records no owner, so a second open cannot name the holding pid; the lock of
 * a process killed with SIGKILL blocks every opener for the stale time (measured 10.2 s with
 * its default 10 s; ours takes it over at once, as the owner's pid is gone); a live owner
 * whose event loop stalls past the stale time loses its lock to a second writer; a lock it
 * finds compromised throws from a timer. It pulls graceful-fs, retry and signal-exit 3, and
 * acquires + releases 1.8-4x slower than ours on the same file.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreError, UsageError } from '../errors.js';

/** The owner of a store lock, as recorded in the lock file. */
export interface StoreLockOwner {
  /** Process id of the owner. */
  pid: number;
  /** When the owner process started, in ms since the epoch. */
  started: number;
  /** Host name of the owner. */
  hostname: string;
  /** Random token identifying this one lock. */
  token: string;
}

/** Start time of this process (the same in every worker thread of it). */
const PROCESS_STARTED = Math.round(Date.now() - process.uptime() * 1000);
/** Two start times this close are the same process (they are computed from the uptime). */
const SAME_START_MS = 1000;
/** Nested claims allowed when a taker died holding a claim (practically never needed). */
const MAX_CLAIM_DEPTH = 2;
/** Errors of `link` on file systems without hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP', 'EXDEV']);

/** What was found in a lock file. */
interface SeenLock {
  raw: Buffer;
  owner: StoreLockOwner | undefined;
  /** Why the content is not a valid owner, when it is not. */
  problem?: string;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * The lock file of the store file `file`: `<file>.lock`, next to the real file when `file`
 * is a symbolic link, so every path to one store names the same lock.
 */
export function storeLockPath(file: string): string {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch {
    target = path.resolve(file);
  }
  return `${target}.lock`;
}

/**
 * Parses lock file content.
 * @returns the owner, or a description of what is wrong with the content
 */
export function parseStoreLock(raw: Buffer): StoreLockOwner | string {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.length === 0 ? 'the lock file is empty' : 'the lock file does not hold JSON';
  }
  if (typeof value !== 'object' || value === null) return 'the lock file does not hold an object';
  const { pid, started, hostname, token } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    return `the lock file names no valid pid (${JSON.stringify(pid)})`;
  }
  if (typeof started !== 'number' || !Number.isFinite(started)) return 'the lock file has no start time';
  if (typeof hostname !== 'string' || typeof token !== 'string' || token === '') {
    return 'the lock file has no host name or token';
  }
  return { pid, started, hostname, token };
}

function readLock(lockFile: string): SeenLock | undefined {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(lockFile);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = parseStoreLock(raw);
  return typeof parsed === 'string' ? { raw, owner: undefined, problem: parsed } : { raw, owner: parsed };
}

/**
 * True when `pid` is a zombie on Linux: it has ended (its files are closed, it runs no more
 * code) but its parent has not collected it yet, so `kill(pid, 0)` still succeeds. Elsewhere,
 * or when /proc cannot tell, false.
 */
export function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  // `pid (command) state ...`: the command may hold spaces and parentheses, the state follows the last `)`.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/** True when the owner may still be running (unknown counts as running). */
export function isStoreLockOwnerAlive(owner: StoreLockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  if (owner.pid === process.pid) return Math.abs(owner.started - PROCESS_STARTED) <= SAME_START_MS;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
  return !isZombie(owner.pid);
}

/** Creates `file` with `content` unless it exists; false when it exists. */
function createExclusive(file: string, content: Buffer, token: string): boolean {
  const temp = `${file}.${process.pid}-${token}.tmp`;
  fs.writeFileSync(temp, content, { flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_LINKS.has(code)) throw error;
  } finally {
    try {
      fs.unlinkSync(temp);
    } catch {
      // Already gone; nothing to clean up.
    }
  }
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the stale lock `lockFile` (whose content was `stale`) if it still has that content,
 * under a claim that only one process can hold.
 */
function removeStale(lockFile: string, stale: Buffer, content: Buffer, token: string, depth: number): void {
  const claim = `${lockFile}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  if (!createExclusive(claim, content, token)) {
    // Another opener is taking over this same lock, or died doing so.
    const holder = readLock(claim);
    if (!holder || depth >= MAX_CLAIM_DEPTH || (holder.owner && isStoreLockOwnerAlive(holder.owner))) return;
    removeStale(claim, holder.raw, content, token, depth + 1);
    if (!createExclusive(claim, content, token)) return;
  }
  try {
    const now = readLock(lockFile);
    if (now?.raw.equals(stale)) fs.unlinkSync(lockFile);
  } finally {
    fs.rmSync(claim, { force: true });
  }
}

function describeOwner(owner: StoreLockOwner): string {
  const since = `pid ${owner.pid}, started ${new Date(owner.started).toISOString()}`;
  if (owner.hostname !== os.hostname()) return `a process on host ${owner.hostname} (${since})`;
  return owner.pid === process.pid ? `this process (${since})` : `another process (${since})`;
}

/** The locks this process holds, released on exit. */
const held = new Set<StoreLock>();

function releaseAllOnExit(): void {
  for (const lock of [...held]) lock.release();
}

/** An advisory lock on one store file; see the module comment. */
export class StoreLock {
  private released = false;

  private constructor(
    /** The store file, as given to {@link StoreLock.acquire}. */
    readonly file: string,
    /** The lock file. */
    readonly lockFile: string,
    /** This lock's owner record (this process). */
    readonly owner: StoreLockOwner,
    private readonly content: Buffer,
  ) {}

  /**
   * Locks the store file `file` for this process, taking over a stale lock.
   * @throws UsageError (code `store locked`) when a live process, this one included, holds
   *   the lock, or a stale lock could not be taken over; the message names the store file,
   *   the lock file and the holder's pid
   * @throws StoreError when the lock file cannot be created (missing directory, no permission)
   */
  static acquire(file: string): StoreLock {
    const lockFile = storeLockPath(file);
    const owner: StoreLockOwner = {
      pid: process.pid,
      started: PROCESS_STARTED,
      hostname: os.hostname(),
      token: randomBytes(8).toString('hex'),
    };
    const content = Buffer.from(`${JSON.stringify(owner)}\n`, 'utf8');
    const io = <T>(step: () => T): T => {
      try {
        return step();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreError(`cannot lock store file ${file} with the lock file ${lockFile}: ${reason}`, {
          cause: error,
          code: 'store lock failed',
        });
      }
    };
    let tookOver: SeenLock | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (io(() => createExclusive(lockFile, content, owner.token))) {
        const lock = new StoreLock(file, lockFile, owner, content);
        if (held.size === 0) process.on('exit', releaseAllOnExit);
        held.add(lock);
        return lock;
      }
      const seen = io(() => readLock(lockFile));
      if (!seen) continue;
      if (seen.owner && isStoreLockOwnerAlive(seen.owner)) {
        throw new UsageError(
          `store file ${file} is already open in ${describeOwner(seen.owner)} (lock file ${lockFile}); ` +
            'a store file can be open in one store object at a time',
          { code: 'store locked' },
        );
      }
      tookOver = seen;
      if (attempt === 1) break;
      io(() => removeStale(lockFile, seen.raw, content, owner.token, 0));
    }
    const stale = tookOver?.owner
      ? `left by pid ${tookOver.owner.pid}, which no longer exists`
      : `holding no valid owner (${tookOver?.problem ?? 'unreadable'})`;
    throw new UsageError(
      `store file ${file} is locked by ${lockFile}, ${stale}, but the lock could not be taken over ` +
        '(another process may be taking it over now); remove the lock file if no process uses the store',
      { code: 'store locked' },
    );
  }

  /** Whether this lock is still held (not yet released). */
  get isHeld(): boolean {
    return !this.released;
  }

  /**
   * Releases the lock: removes the lock file if it is still this lock's. Releasing twice is
   * allowed; failures to remove are ignored (the lock then looks stale to the next opener).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    if (held.size === 0) process.off('exit', releaseAllOnExit);
    try {
      const now = fs.readFileSync(this.lockFile);
      if (now.equals(this.content)) fs.unlinkSync(this.lockFile);
    } catch {
      // Gone already, or not removable: the next opener judges it stale.
    }
  }
}
