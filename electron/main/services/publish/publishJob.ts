/**
 * One publish job of main (a repeat or a bulk file): sends messages in order on a connection
 * the caller owns, counts what was sent and what failed (keeping the first errors with their
 * number or line), and reports progress at most every `progressEveryMs`. Without an ack each
 * message is written before the next; with one, up to {@link ACK_WINDOW} wait for their acks.
 */
import type {
  BinaryPublishType,
  PublishAck,
  PublishJobError,
  PublishProgress,
} from '../../../../common/src/dto/publish.js';
import { MAX_JOB_ERRORS } from '../../../../common/src/dto/publish.js';
import type { AmpsConnectionLike, AmpsPublishOutcome, AmpsPublishParams } from '../ampsAdapter.js';
import { encodeBinary } from './binaryPayload.js';

/** Messages waiting for their ack at once. */
export const ACK_WINDOW = 512;

/** What a job needs from its surroundings. */
export interface PublishJobDeps {
  /** The caller's client of the connection (looked up per message: an HA loop may rebuild it). */
  client(): AmpsConnectionLike;
  deliver(progress: PublishProgress): void;
  now(): number;
  progressEveryMs: number;
}

/** The options every message of a job is sent with. */
export interface JobSendOptions {
  ack: PublishAck;
  deltaPublish: boolean;
  expiration?: number;
  correlationId?: string;
  sowKey?: string;
  /** Each message is JSON text to encode as this binary type before it is sent. */
  encodeAs?: BinaryPublishType;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A running job: counters, errors, the ack window and the progress reports. */
export class PublishJob {
  readonly jobId: string;
  readonly connectionId: string;
  readonly ownerId: string;
  sent = 0;
  failed = 0;
  total: number | undefined;
  readonly errors: PublishJobError[] = [];
  #stopped = false;
  #ended: string | undefined;
  readonly #started: number;
  #lastReport = 0;
  /** Sends since the clock was last read for a progress report. */
  #sinceClock = 0;
  readonly #inflight = new Set<Promise<void>>();
  /** The handler of the last write without an ack (earlier ones settle before it). */
  #lastWrite: Promise<void> = Promise.resolve();
  readonly #deps: PublishJobDeps;
  readonly #params: AmpsPublishParams;
  readonly #encodeAs: BinaryPublishType | undefined;

  constructor(
    ids: { jobId: string; connectionId: string; ownerId: string },
    options: JobSendOptions,
    deps: PublishJobDeps,
  ) {
    this.jobId = ids.jobId;
    this.connectionId = ids.connectionId;
    this.ownerId = ids.ownerId;
    this.#deps = deps;
    this.#started = deps.now();
    this.#encodeAs = options.encodeAs;
    this.#params = {
      delta: options.deltaPublish,
      ack: options.ack,
      ...(options.expiration === undefined ? {} : { expiration: options.expiration }),
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      ...(options.sowKey === undefined ? {} : { sowKey: options.sowKey }),
    };
  }

  /** True once stopped by the user or ended by an error: the producer stops sending. */
  get over(): boolean {
    return this.#stopped || this.#ended !== undefined;
  }

  get startedAt(): number {
    return this.#started;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Counts a message that could not even be built (a bad line of a file). */
  reject(at: number, message: string): void {
    this.failed += 1;
    if (this.errors.length < MAX_JOB_ERRORS) this.errors.push({ at, message });
    this.maybeReport();
  }

  /** Ends the job early with `reason` (the connection went away). */
  end(reason: string): void {
    this.#ended ??= reason;
  }

  /**
   * Sends one message. Without an ack the message is written at once and nothing is returned;
   * with one, a promise is returned when the ack window is full (await it before the next).
   */
  send(at: number, topic: string, text: string): Promise<void> | undefined {
    let data: string | Uint8Array = text;
    if (this.#encodeAs !== undefined) {
      try {
        data = encodeBinary(this.#encodeAs, text);
      } catch (error) {
        // A message the type cannot hold (bflat nesting, a bson array) fails alone, with its reason.
        this.reject(at, messageOf(error));
        return undefined;
      }
    }
    let client: AmpsConnectionLike;
    try {
      client = this.#deps.client();
    } catch (error) {
      this.end(messageOf(error));
      return undefined;
    }
    if (this.#params.ack === 'none') {
      // The adapter writes (or stores) the message before its promise is returned: order holds.
      this.#lastWrite = client
        .publish(topic, data, this.#params)
        .then(this.#written, (error: unknown) => this.#notWritten(at, error));
      this.#reportNowAndThen();
      return undefined;
    }
    const pending: Promise<void> = client.publish(topic, data, this.#params).then(
      (outcome: AmpsPublishOutcome) => {
        if (outcome.ack?.status === 'failure') this.reject(at, outcome.ack.reason ?? 'the server refused it');
        else this.sent += 1;
      },
      (error: unknown) => this.reject(at, messageOf(error)),
    );
    const tracked = pending.finally(() => this.#inflight.delete(tracked));
    this.#inflight.add(tracked);
    this.maybeReport();
    return this.#inflight.size >= ACK_WINDOW ? Promise.race(this.#inflight) : undefined;
  }

  /** One message written (a field, not a closure per message: the bulk path sends millions). */
  readonly #written = (): void => {
    this.sent += 1;
  };

  #notWritten(at: number, error: unknown): void {
    // Without an ack a throw means the message could not go out at all: stop here.
    this.reject(at, messageOf(error));
    this.end(`message ${at} could not be sent: ${messageOf(error)}`);
  }

  /** Reads the clock for a progress report every 64 sends only (a report is due at most every few 100 ms). */
  #reportNowAndThen(): void {
    this.#sinceClock += 1;
    if (this.#sinceClock < 64) return;
    this.#sinceClock = 0;
    this.maybeReport();
  }

  /** Waits for every write and ack still outstanding. */
  async drain(): Promise<void> {
    await this.#lastWrite;
    while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
  }

  /** The progress now. */
  progress(done: boolean): PublishProgress {
    const elapsedMs = Math.max(0, this.#deps.now() - this.#started);
    let unpersisted: number | undefined;
    try {
      const count = this.#deps.client().unpersisted(0).count;
      if (count > 0) unpersisted = count;
    } catch {
      unpersisted = undefined;
    }
    return {
      jobId: this.jobId,
      connectionId: this.connectionId,
      sent: this.sent,
      failed: this.failed,
      ...(this.total === undefined ? {} : { total: this.total }),
      elapsedMs,
      ratePerSec: elapsedMs > 0 ? Math.round((this.sent * 1000) / elapsedMs) : 0,
      errors: [...this.errors],
      done,
      ...(done && this.#stopped ? { stopped: true } : {}),
      ...(this.#ended === undefined ? {} : { error: this.#ended }),
      ...(unpersisted === undefined ? {} : { unpersisted }),
    };
  }

  maybeReport(): void {
    const now = this.#deps.now();
    if (now - this.#lastReport < this.#deps.progressEveryMs) return;
    this.#lastReport = now;
    this.#deps.deliver(this.progress(false));
  }

  /** Waits for the outstanding acks and sends the last progress. */
  async finish(): Promise<PublishProgress> {
    await this.drain();
    const last = this.progress(true);
    this.#deps.deliver(last);
    return last;
  }
}
