/**
 * Records a live subscription to an NDJSON file: one line per message received (headers and
 * payload), whatever the view shows. Lines are gathered synchronously as messages arrive (the
 * subscription's pump never waits) and written in chunks; the recording stops at its message
 * count, its time, its size bound, when stopped, when the subscription ends, or on an error
 * (the disk fails or falls too far behind), and says which.
 */
import type { RecordingProgress, RecordingStopReason } from '../../../../common/src/dto/messageExport.js';
import type { AmpsMessageLike } from '../ampsAdapter.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ExportFile } from '../exportFiles.js';
import { messageLine } from './messageWriter.js';

/** Default bound on a recording's file size. */
export const RECORDING_MAX_BYTES = 1024 * 1024 * 1024;
/** Most text gathered and not yet on the disk before the recording stops as an error. */
export const RECORDING_MAX_BACKLOG = 64 * 1024 * 1024;
/** How often progress is reported while recording. */
export const RECORDING_PROGRESS_MS = 250;

/** Options of {@link Recorder.start}. */
export interface RecorderOptions {
  dir: string;
  /** File name stem (the topic). */
  stem: string;
  subscriptionId: string;
  maxMessages?: number;
  maxSeconds?: number;
  maxBytes?: number;
  maxBacklog?: number;
  now?: () => number;
  /** Told the progress while recording and once when it stopped (`stopped` set). */
  onProgress(progress: RecordingProgress): void;
}

/** One running recording. */
export class Recorder {
  readonly #file: ExportFile;
  readonly #options: RecorderOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #maxBytes: number;
  readonly #maxBacklog: number;
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  #messages = 0;
  #flushing: Promise<void> | undefined;
  #stopped: Promise<RecordingProgress> | undefined;
  #error: string | undefined;

  private constructor(file: ExportFile, options: RecorderOptions) {
    this.#file = file;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#maxBytes = options.maxBytes ?? RECORDING_MAX_BYTES;
    this.#maxBacklog = options.maxBacklog ?? RECORDING_MAX_BACKLOG;
    if (options.maxSeconds !== undefined)
      this.#timers.push(setTimeout(() => void this.stop('time'), options.maxSeconds * 1000));
    this.#timers.push(setInterval(() => this.#report(), RECORDING_PROGRESS_MS));
  }

  /** Opens the file and starts recording. */
  static async start(options: RecorderOptions): Promise<Recorder> {
    const now = options.now ?? Date.now;
    const file = await ExportFile.create(options.dir, `${options.stem}-recording`, 'ndjson', now());
    return new Recorder(file, options);
  }

  get path(): string {
    return this.#file.path;
  }

  /** True once stopping began: no more messages are written. */
  get stopping(): boolean {
    return this.#stopped !== undefined;
  }

  /** Writes one message (never waits: the line is gathered and written in the next chunk). */
  add(index: number, message: AmpsMessageLike, receivedAt: number): void {
    if (this.#stopped !== undefined) return;
    // Payloads are written as text (no JSON parse per message): a recording keeps up with the stream.
    const line = `${messageLine(index, receivedAt, message.header, message.payload, false)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.#file.bytes + bytes > this.#maxBytes) {
      void this.stop('size');
      return;
    }
    try {
      this.#file.append(line, bytes);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#messages++;
    if (this.#file.gatheredChars + this.#file.pendingBytes > this.#maxBacklog) {
      this.#fail(new Error(`the disk fell ${this.#maxBacklog} bytes behind the subscription`));
      return;
    }
    const max = this.#options.maxMessages;
    if (max !== undefined && this.#messages >= max) void this.stop('count');
    else this.#kick();
  }

  /** The recording's state now. */
  progress(stopped?: RecordingStopReason): RecordingProgress {
    const o = this.#options;
    return {
      subscriptionId: o.subscriptionId,
      path: this.#file.path,
      messages: this.#messages,
      bytes: this.#file.bytes,
      elapsedMs: this.#now() - this.#startedAt,
      maxBytes: this.#maxBytes,
      ...(o.maxMessages === undefined ? {} : { maxMessages: o.maxMessages }),
      ...(o.maxSeconds === undefined ? {} : { maxSeconds: o.maxSeconds }),
      ...(stopped === undefined ? {} : { stopped }),
      ...(this.#error === undefined ? {} : { error: this.#error }),
    };
  }

  /** Stops (the first reason wins), writes what is left, closes the file; resolves with the final state. */
  stop(reason: RecordingStopReason): Promise<RecordingProgress> {
    this.#stopped ??= (async () => {
      for (const t of this.#timers) clearTimeout(t);
      let final: RecordingStopReason = reason;
      try {
        await this.#flushing;
        await this.#file.close();
      } catch (error) {
        this.#error ??= error instanceof Error ? error.message : String(error);
        this.#file.abort();
        final = 'error';
      }
      const progress = this.progress(this.#error === undefined ? final : 'error');
      this.#options.onProgress(progress);
      return progress;
    })();
    return this.#stopped;
  }

  #fail(error: unknown): void {
    this.#error ??= error instanceof Error ? error.message : String(error);
    void this.stop('error');
  }

  /** Writes gathered text in the background, one chunk at a time. */
  #kick(): void {
    if (this.#flushing !== undefined) return;
    this.#flushing = (async () => {
      try {
        // Gathers what arrives in this turn of the loop into the first chunk.
        await nextTurn();
        while (this.#file.gatheredChars > 0) await this.#file.flush();
      } catch (error) {
        this.#fail(error);
      } finally {
        this.#flushing = undefined;
      }
    })();
  }

  /** Progress every tick while recording (the elapsed time moves on a quiet stream too). */
  #report(): void {
    if (this.#stopped !== undefined) return;
    this.#options.onProgress(this.progress());
  }
}
