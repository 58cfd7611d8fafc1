/**
 * Repeat and bulk publishing from the composer. Main does the work (pacing, reading the file);
 * this model starts a job, follows its progress events and stops it. A bulk file is read a
 * slice at a time and uploaded to main in bounded chunks: the renderer never holds it whole.
 */
import {
  MAX_REPEAT_COUNT,
  MAX_REPEAT_RATE,
  MAX_UPLOAD_CHUNK_CHARS,
} from '../../../common/src/dto/publish.js';
import type {
  BinaryPublishType,
  PublishFileFormat,
  PublishProgress,
} from '../../../common/src/dto/publish.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';
import type { ConfirmGate } from './confirmGate.js';
import type { PublishModel } from './publishModel.js';

/** A file the user picked: its name, size and a way to read a byte range (a `File`). */
export interface PickedFile {
  name: string;
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** What the repeat and bulk panels show. */
export interface JobsSnapshot {
  count: string;
  rate: string;
  format: PublishFileFormat;
  file: { name: string; size: number } | undefined;
  /** Bytes uploaded of the picked file while it goes to main. */
  uploaded: number | undefined;
  running: 'repeat' | 'bulk' | undefined;
  jobId: string | undefined;
  progress: PublishProgress | undefined;
  problem: string | undefined;
}

/** Bytes read from the file per slice (a chunk stays under the request's limit in characters). */
const SLICE_BYTES = Math.floor(MAX_UPLOAD_CHUNK_CHARS / 2);

/** The format a file name suggests. */
export function formatOfName(name: string): PublishFileFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json-array';
  return 'ndjson';
}

/** Starts, follows and stops the view's publish jobs. */
export class PublishJobsModel extends Model<JobsSnapshot> {
  readonly #api: ExplorerApi;
  readonly #form: PublishModel;
  readonly #gate: ConfirmGate;
  readonly #stopEvents: () => void;
  #file: PickedFile | undefined;
  readonly #early = new Map<string, PublishProgress>();

  constructor(api: ExplorerApi, form: PublishModel, gate: ConfirmGate) {
    super({
      count: '1000',
      rate: '500',
      format: 'ndjson',
      file: undefined,
      uploaded: undefined,
      running: undefined,
      jobId: undefined,
      progress: undefined,
      problem: undefined,
    });
    this.#api = api;
    this.#form = form;
    this.#gate = gate;
    this.#stopEvents = api.onPublishProgress((p) => this.#onProgress(p));
  }

  #onProgress(p: PublishProgress): void {
    if (this.state.jobId === undefined && this.state.running !== undefined) {
      // Events of a job whose id has not come back yet: keep the latest of each.
      this.#early.set(p.jobId, p);
      return;
    }
    if (p.jobId !== this.state.jobId) return;
    this.update({ progress: p, ...(p.done ? { running: undefined, jobId: undefined } : {}) });
  }

  /** The job's id came back: adopt it, with what it reported meanwhile. */
  #started(jobId: string): void {
    const early = this.#early.get(jobId);
    this.#early.clear();
    this.update({ jobId });
    if (early !== undefined) this.#onProgress(early);
  }

  edit(patch: Partial<Pick<JobsSnapshot, 'count' | 'rate' | 'format'>>): void {
    this.update({ ...patch, problem: undefined });
  }

  /** Why a repeat cannot start, or undefined. */
  repeatProblem(): string | undefined {
    const count = Number(this.state.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_REPEAT_COUNT) {
      return `Count must be a whole number from 1 to ${MAX_REPEAT_COUNT}`;
    }
    const rate = this.state.rate.trim() === '' ? 0 : Number(this.state.rate);
    if (!Number.isFinite(rate) || rate < 0 || rate > MAX_REPEAT_RATE) {
      return `Rate must be a number of messages per second from 0 (as fast as possible) to ${MAX_REPEAT_RATE}`;
    }
    return undefined;
  }

  /** Publishes the payload (a template) N times at the rate, from main. */
  async repeat(): Promise<void> {
    const problem = this.#form.blocker() ?? this.repeatProblem();
    if (problem !== undefined || this.state.running !== undefined) {
      this.update({ problem });
      return;
    }
    const f = this.#form.state;
    const connectionId = this.#form.connectionId as string;
    const count = Number(this.state.count);
    const rate = this.state.rate.trim() === '' ? 0 : Number(this.state.rate);
    const topic = f.topic.trim();
    await this.#gate.run(`Publish ${count} messages to ${topic}`, async () => {
      this.update({ running: 'repeat', progress: undefined, problem: undefined });
      try {
        const { jobId } = await this.#api.publishRepeat({
          connectionId,
          topic,
          template: f.payload,
          count,
          ...(rate > 0 ? { ratePerSec: rate } : {}),
          ...this.#form.options(),
          ...this.#encoding(),
        });
        this.#started(jobId);
      } catch (error) {
        this.update({ running: undefined, problem: messageOf(error) });
      }
    });
  }

  /** The user picked a file. */
  pick(file: PickedFile | undefined): void {
    this.#file = file;
    this.update({
      file: file === undefined ? undefined : { name: file.name, size: file.size },
      ...(file === undefined ? {} : { format: formatOfName(file.name) }),
      uploaded: undefined,
      problem: undefined,
    });
  }

  /** Uploads the picked file to main in chunks, then publishes it from there. */
  async bulk(): Promise<void> {
    const file = this.#file;
    const f = this.#form.state;
    const problem =
      file === undefined
        ? 'Pick a file first'
        : f.topic.trim() === ''
          ? 'Name a topic'
          : this.#form.connectionId === undefined
            ? 'The view has no open connection'
            : undefined;
    if (problem !== undefined || file === undefined || this.state.running !== undefined) {
      this.update({ problem });
      return;
    }
    const connectionId = this.#form.connectionId as string;
    const topic = f.topic.trim();
    await this.#gate.run(`Publish every record of ${file.name} to ${topic}`, async () => {
      this.update({ running: 'bulk', progress: undefined, problem: undefined, uploaded: 0 });
      try {
        const uploadId = await this.#upload(file);
        const { ack, deltaPublish, expiration, correlationId } = this.#form.options();
        const { jobId } = await this.#api.publishBulk({
          connectionId,
          topic,
          uploadId,
          format: this.state.format,
          ...(ack === undefined ? {} : { ack }),
          ...(deltaPublish === undefined ? {} : { deltaPublish }),
          ...(expiration === undefined ? {} : { expiration }),
          ...(correlationId === undefined ? {} : { correlationId }),
          ...this.#encoding(),
        });
        this.#started(jobId);
      } catch (error) {
        this.update({ running: undefined, problem: messageOf(error) });
      }
    });
  }

  /** A binary message type: main encodes each message (JSON text) as it before sending. */
  #encoding(): { encodeAs?: BinaryPublishType } {
    const encodeAs = this.#form.encodeAs();
    return encodeAs === undefined ? {} : { encodeAs };
  }

  async #upload(file: PickedFile): Promise<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let uploadId: string | undefined;
    let offset = 0;
    do {
      const end = Math.min(file.size, offset + SLICE_BYTES);
      const bytes = await file.slice(offset, end).arrayBuffer();
      const data = decoder.decode(new Uint8Array(bytes), { stream: end < file.size });
      const ref = await this.#api.publishUpload({ ...(uploadId === undefined ? {} : { uploadId }), data });
      uploadId = ref.uploadId;
      offset = end;
      this.update({ uploaded: offset });
    } while (offset < file.size);
    return uploadId;
  }

  /**
   * After a page reload: claims the job main still runs under `jobId` (the tab saved it) and
   * follows its progress again; a job that ended meanwhile is reported, not silently dropped.
   */
  async adopt(jobId: string): Promise<void> {
    this.update({ running: 'repeat', jobId, problem: undefined });
    try {
      const info = await this.#api.attachPublishJob({ jobId });
      if (this.state.jobId !== jobId) return;
      // A job that ended while the page was away shows how it ended.
      if (info.progress.done) this.update({ running: undefined, jobId: undefined, progress: info.progress });
      else this.update({ running: info.kind, progress: info.progress });
    } catch (error) {
      if (this.state.jobId !== jobId) return;
      this.update({
        running: undefined,
        jobId: undefined,
        problem: `The publish job this tab followed is no longer running: ${messageOf(error)}`,
      });
    }
  }

  /** Stops the running job. */
  async stop(): Promise<void> {
    const jobId = this.state.jobId;
    if (jobId === undefined) return;
    try {
      await this.#api.publishStop({ jobId });
    } catch (error) {
      this.update({ problem: messageOf(error) });
    }
  }

  dispose(): void {
    this.#stopEvents();
    void this.stop();
  }
}
