/**
 * A warm standby (`npm run sandbox -- --journal DIR --standby`): a sandbox process that follows
 * a journal another sandbox writes and serves it once that sandbox ends.
 *
 * It listens on nothing while it stands by, so the clients' HA server lists pass over it to the
 * live server. Every `pollMs` it reads what was appended to the journal since its last read
 * (journalFollow.ts) and looks at the journal's writer lock; when the lock's owner is gone (ended,
 * crashed or SIGKILLed) or there is no lock, it takes the lock (of several standbys exactly one
 * wins; the others keep following the new writer), reads the last records, and starts listening
 * with the SOW, transaction log, queues and publisher sequences already in memory. A takeover
 * therefore costs one poll, the records written since the previous poll, and opening the
 * listeners, however long the journal is.
 */
import { performance } from 'node:perf_hooks';
import { UsageError } from '../../client/src/errors.js';
import { StoreLock, storeLockPath } from '../../client/src/stores/storeLock.js';
import { Broker } from './broker.js';
import type { SandboxConfig } from './config.js';
import { journalLockOwner, JournalFollower, liveJournalWriter } from './journalFollow.js';
import { createSandboxServer } from './server.js';
import type { SandboxServer } from './server.js';

/** Options of {@link startStandby}. */
export interface StandbyOptions {
  /** How often to read the journal's new records and check its writer, ms (default 10). */
  pollMs?: number;
}

/** What a takeover took. */
export interface Takeover {
  /** Pid of the writer that was gone (undefined when there was no lock). */
  previousPid: number | undefined;
  /** Records read at the takeover (written since the standby's last poll). */
  tailRecords: number;
  /** Records in the journal in all. */
  records: number;
  /** From noticing the writer gone to listening, ms. */
  ms: number;
  /** When the writer was noticed gone (epoch ms). */
  noticedAt: number;
}

/** A standby; see the module comment. */
export interface SandboxStandby {
  /** The broker the journal is applied to (it becomes the server's). */
  readonly broker: Broker;
  /** Records applied so far. */
  readonly records: number;
  /** Resolves once this standby serves (with what the takeover took); rejects when it cannot. */
  readonly serving: Promise<{ server: SandboxServer; takeover: Takeover }>;
  /** Stops standing by, or closes the server it became. */
  close(): Promise<void>;
}

/** Default poll interval, ms. */
export const STANDBY_POLL_MS = 10;

/**
 * Starts following `config.journalDir` (reading the whole journal now) and takes it over when
 * its writer is gone.
 * @throws Error when the config has no journal folder
 */
export function startStandby(config: SandboxConfig, options: StandbyOptions = {}): SandboxStandby {
  const dir = config.journalDir;
  if (dir === undefined || dir === '')
    throw new Error('a standby needs the journal folder to follow (--journal DIR)');
  const pollMs = options.pollMs ?? STANDBY_POLL_MS;
  if (!Number.isFinite(pollMs) || pollMs <= 0)
    throw new Error(`standby poll interval must be > 0 ms, not ${pollMs}`);
  const broker = new Broker(config);
  const follower = new JournalFollower(dir, broker);
  const lockFile = storeLockPath(follower.path);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let server: SandboxServer | undefined;
  let writerPid: number | undefined;

  const serving = new Promise<{ server: SandboxServer; takeover: Takeover }>((resolve, reject) => {
    const takeOver = (lock: StoreLock): void => {
      const noticedAt = Date.now();
      const started = performance.now();
      const before = follower.records;
      let journal;
      try {
        journal = follower.takeOver(lock);
      } catch (e) {
        lock.release();
        throw e;
      }
      const tailRecords = follower.records - before;
      createSandboxServer(config, { broker, journal }).then(
        (s) => {
          server = s;
          const takeover = {
            previousPid: writerPid,
            tailRecords,
            records: follower.records,
            ms: performance.now() - started,
            noticedAt,
          };
          if (stopped) void s.close();
          resolve({ server: s, takeover });
        },
        (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
      );
    };
    const step = (): void => {
      timer = undefined;
      if (stopped) return;
      try {
        follower.catchUp();
        const writer = liveJournalWriter(lockFile);
        if (writer === undefined) {
          writerPid = journalLockOwner(lockFile)?.pid ?? writerPid;
          let lock: StoreLock | undefined;
          try {
            lock = StoreLock.acquire(follower.path);
          } catch (e) {
            if (!(e instanceof UsageError)) throw e; // another standby won: follow it
          }
          if (lock) {
            takeOver(lock);
            return;
          }
        } else if (writer.pid !== writerPid) {
          writerPid = writer.pid;
          broker.log(
            'info',
            `standby: following journal ${follower.path} written by pid ${writer.pid} (${follower.records} records read)`,
          );
        }
      } catch (e) {
        follower.close();
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      timer = setTimeout(step, pollMs);
    };
    step();
  });
  serving.catch(() => undefined);

  return {
    broker,
    get records() {
      return follower.records;
    },
    serving,
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      follower.close();
      await server?.close();
    },
  };
}
