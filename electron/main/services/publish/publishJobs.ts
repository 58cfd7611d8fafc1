/**
 * The publish jobs of main: repeat a template N times at a paced rate (or as fast as
 * possible), and bulk-publish a file streamed line by line. The renderer starts a job, watches
 * `onPublishProgress` and may stop it; main does the pacing, so the renderer never drives
 * thousands of sends.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type {
  PublishBulkRequest,
  PublishJobInfo,
  PublishJobRef,
  PublishProgress,
  PublishRepeatRequest,
} from '../../../../common/src/dto/publish.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import { TemplateError, compileTemplate } from '../../../../common/src/publish/template.js';
import type { ConnectionService } from '../connections.js';
import { runBulk } from './publishBulk.js';
import { PublishJob } from './publishJob.js';
import type { JobSendOptions } from './publishJob.js';

/** Jobs one caller may run at once. */
export const MAX_JOBS_PER_OWNER = 4;
/** Messages sent between two yields to the event loop when unpaced. */
const YIELD_EVERY = 256;

/** What the jobs need. */
export interface PublishJobsDeps {
  connections: Pick<ConnectionService, 'client'>;
  deliverProgress(ownerId: string, progress: PublishProgress): void;
  now?: () => number;
  /** Shortest time between two progress events of a job (default 200 ms). */
  progressEveryMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts, stops and ends publish jobs, per owner. */
export class PublishJobs {
  readonly #deps: PublishJobsDeps;
  readonly #jobs = new Map<string, PublishJob>();
  readonly #running = new Map<string, Promise<PublishProgress>>();
  /** What each job is, for a page that reloaded, and whether a page claims it. */
  readonly #about = new Map<string, { kind: PublishJobInfo['kind']; topic: string; detached: boolean }>();
  /** Jobs that ended while no page claimed them: their last progress, for the page that comes back. */
  readonly #endedUnclaimed = new Map<string, { ownerId: string; info: PublishJobInfo }>();
  #next = 1;

  constructor(deps: PublishJobsDeps) {
    this.#deps = deps;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  #create(
    connectionId: string,
    ownerId: string,
    options: JobSendOptions,
    about: { kind: PublishJobInfo['kind']; topic: string },
  ): PublishJob {
    // Throws for a connection the caller does not own, before anything starts.
    this.#deps.connections.client(connectionId, ownerId);
    const mine = [...this.#jobs.values()].filter((j) => j.ownerId === ownerId).length;
    if (mine >= MAX_JOBS_PER_OWNER) {
      throw new ExplorerError({
        name: 'TooManyJobsError',
        message: `${mine} publish jobs are running already; stop one first (at most ${MAX_JOBS_PER_OWNER})`,
        code: 'too-many-jobs',
      });
    }
    const jobId = `pub-${this.#next++}`;
    const job = new PublishJob({ jobId, connectionId, ownerId }, options, {
      client: () => this.#deps.connections.client(connectionId, ownerId),
      deliver: (p) => this.#deps.deliverProgress(ownerId, p),
      now: () => this.#now(),
      progressEveryMs: this.#deps.progressEveryMs ?? 200,
    });
    this.#jobs.set(jobId, job);
    this.#about.set(jobId, { ...about, detached: false });
    return job;
  }

  #launch(job: PublishJob, run: () => Promise<void>): PublishJobRef {
    const done = (async () => {
      try {
        await run();
      } catch (error) {
        job.end(error instanceof Error ? error.message : String(error));
      }
      const last = await job.finish();
      const about = this.#about.get(job.jobId);
      if (about?.detached === true) {
        this.#endedUnclaimed.set(job.jobId, {
          ownerId: job.ownerId,
          info: { jobId: job.jobId, kind: about.kind, topic: about.topic, attached: false, progress: last },
        });
      }
      this.#jobs.delete(job.jobId);
      this.#running.delete(job.jobId);
      this.#about.delete(job.jobId);
      return last;
    })();
    this.#running.set(job.jobId, done);
    return { jobId: job.jobId };
  }

  /** Starts a repeat run; throws a TemplateError-coded error for a bad template. */
  repeat(request: PublishRepeatRequest, ownerId: string): PublishJobRef {
    let template;
    try {
      template = compileTemplate(request.template);
    } catch (error) {
      if (error instanceof TemplateError) {
        throw new ExplorerError({ name: 'TemplateError', message: error.message, code: 'bad-template' });
      }
      throw error;
    }
    const job = this.#create(request.connectionId, ownerId, sendOptions(request), {
      kind: 'repeat',
      topic: request.topic,
    });
    job.total = request.count;
    const rate = request.ratePerSec ?? 0;
    return this.#launch(job, async () => {
      const start = job.startedAt;
      for (let seq = 1; seq <= request.count && !job.over; seq += 1) {
        const due = rate > 0 ? start + ((seq - 1) * 1000) / rate - this.#now() : 0;
        if (due >= 1) await sleep(due);
        else if (seq % YIELD_EVERY === 0) await yieldToLoop();
        if (job.over) break;
        const data = template.render({
          seq,
          nowMs: () => this.#now(),
          uuid: randomUUID,
          random: Math.random,
        });
        const wait = job.send(seq, request.topic, data);
        if (wait !== undefined) await wait;
      }
    });
  }

  /**
   * Starts publishing a file that main may read (an upload of the user's pick, or a file the
   * app itself chose, e.g. the benchmark's): NDJSON and CSV line by line, a JSON array item by
   * item. `onEnd` runs once the job ended (to delete an upload).
   */
  bulkFile(
    request: Omit<PublishBulkRequest, 'uploadId'> & { path: string },
    ownerId: string,
    onEnd?: () => Promise<void>,
  ): PublishJobRef {
    const job = this.#create(request.connectionId, ownerId, sendOptions(request), {
      kind: 'bulk',
      topic: request.topic,
    });
    return this.#launch(job, async () => {
      try {
        await runBulk(job, request);
      } finally {
        await onEnd?.();
      }
    });
  }

  /** Stops a job of the caller; resolves with its last progress. */
  async stop(jobId: string, ownerId: string): Promise<void> {
    this.#owned(jobId, ownerId).stop();
    await this.#running.get(jobId);
  }

  /** The job's end (for tests and benchmarks). */
  finished(jobId: string): Promise<PublishProgress> | undefined {
    return this.#running.get(jobId);
  }

  /** The caller's running jobs (after a reload: the ones to claim again, or they end). */
  list(ownerId: string): PublishJobInfo[] {
    return [...this.#jobs.values()].filter((j) => j.ownerId === ownerId).map((j) => this.#info(j));
  }

  /**
   * A reloaded page claims a running job again; its progress events reach the page as before.
   * A job that ended while the page was away is answered with its last progress (`done`).
   */
  attach(jobId: string, ownerId: string): PublishJobInfo {
    const ended = this.#endedUnclaimed.get(jobId);
    if (ended !== undefined && ended.ownerId === ownerId) {
      this.#endedUnclaimed.delete(jobId);
      return { ...ended.info, attached: true };
    }
    const job = this.#owned(jobId, ownerId);
    const about = this.#about.get(jobId);
    if (about !== undefined) about.detached = false;
    return this.#info(job);
  }

  /** The owner's page went away (reload, socket dropped): its jobs run on, unclaimed. */
  detachOwner(ownerId: string): void {
    for (const job of this.#jobs.values()) {
      const about = this.#about.get(job.jobId);
      if (job.ownerId === ownerId && about !== undefined) about.detached = true;
    }
  }

  /** Ends the owner's jobs no page claimed again, saying why; returns how many. */
  async endDetached(ownerId: string): Promise<number> {
    const unclaimed = [...this.#jobs.values()].filter(
      (j) => j.ownerId === ownerId && this.#about.get(j.jobId)?.detached === true,
    );
    for (const job of unclaimed) job.end('no page claimed the job again after a reload');
    await Promise.all(unclaimed.map((j) => this.#running.get(j.jobId)));
    // Past the deadline no page will ask how they ended.
    this.#forgetEnded(ownerId);
    return unclaimed.length;
  }

  /** Stops every job of an owner that went away. */
  releaseOwner(ownerId: string): void {
    this.#forgetEnded(ownerId);
    for (const job of this.#jobs.values()) if (job.ownerId === ownerId) job.stop();
  }

  #forgetEnded(ownerId: string): void {
    for (const [jobId, ended] of this.#endedUnclaimed)
      if (ended.ownerId === ownerId) this.#endedUnclaimed.delete(jobId);
  }

  #owned(jobId: string, ownerId: string): PublishJob {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.ownerId !== ownerId) {
      throw new ExplorerError({
        name: 'UnknownJobError',
        message: `no publish job ${jobId} of yours is running`,
        code: 'unknown-job',
      });
    }
    return job;
  }

  #info(job: PublishJob): PublishJobInfo {
    const about = this.#about.get(job.jobId) ?? { kind: 'repeat', topic: '', detached: false };
    return {
      jobId: job.jobId,
      kind: about.kind,
      topic: about.topic,
      attached: !about.detached,
      progress: job.progress(false),
    };
  }

  /** Stops every job and waits for them to end. */
  async shutdown(): Promise<void> {
    for (const job of this.#jobs.values()) job.stop();
    await Promise.all([...this.#running.values()]);
  }
}

function sendOptions(request: PublishRepeatRequest | Omit<PublishBulkRequest, 'uploadId'>): JobSendOptions {
  return {
    ack: request.ack ?? 'none',
    deltaPublish: request.deltaPublish ?? false,
    ...(request.expiration === undefined ? {} : { expiration: request.expiration }),
    ...(request.correlationId === undefined ? {} : { correlationId: request.correlationId }),
    ...('sowKey' in request && request.sowKey !== undefined ? { sowKey: request.sowKey } : {}),
    ...(request.encodeAs === undefined ? {} : { encodeAs: request.encodeAs }),
  };
}
