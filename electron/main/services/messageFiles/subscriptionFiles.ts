/**
 * Exports and recordings of subscriptions. The subscription service taps every message it
 * receives into here (before any display conflation or drop): each subscription's bounded
 * history is what an export writes, and a running recording gets every message. Owned like the
 * subscription: only its owner may export or record it. Files go to the exports folder.
 */
import type {
  MessageExportProgress,
  MessageExportRequest,
  MessageExportResult,
  RecordingProgress,
  RecordingRequest,
} from '../../../../common/src/dto/messageExport.js';
import type { SubscribeSpec } from '../../../../common/src/dto/subscriptions.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { AmpsMessageLike } from '../ampsAdapter.js';
import { ExportFile } from '../exportFiles.js';
import { HISTORY_BYTES, HISTORY_MESSAGES, MessageHistory } from './messageHistory.js';
import type { HeldMessage } from './messageHistory.js';
import { Recorder } from './recorder.js';
import { writeMessages } from './messageWriter.js';

/** What the subscription service tells about each subscription (see SubscriptionServiceOptions.tap). */
export interface MessageTap {
  started(subscriptionId: string, ownerId: string, spec: SubscribeSpec): void;
  received(subscriptionId: string, message: AmpsMessageLike, receivedAt: number): void;
  ended(subscriptionId: string): void;
}

/** Ended subscriptions whose history is still kept per owner (to export after unsubscribing). */
export const KEPT_ENDED = 4;

/** Options of {@link SubscriptionFiles}. */
export interface SubscriptionFilesOptions {
  /** The exports folder (`<userData>/exports`). */
  dir: string;
  emitExportProgress(ownerId: string, progress: MessageExportProgress): void;
  emitRecordingProgress(ownerId: string, progress: RecordingProgress): void;
  historyMessages?: number;
  historyBytes?: number;
  recordingMaxBytes?: number;
  now?: () => number;
  /** A connection's message type (`msgpack`, `json`, ...): binary documents are exported as JSON. */
  messageTypeOf?: (connectionId: string) => string;
  /** Shows a file in the system's file manager (the desktop app only). */
  revealFile?: (path: string) => void;
}

interface Sub {
  ownerId: string;
  topic: string;
  messageType: string;
  history: MessageHistory;
  /** Index of the last message received. */
  last: number;
  live: boolean;
  exporting: boolean;
  recorder?: Recorder;
  /** The path of the last export. */
  exported?: string;
}

const unknownSubscription = (subscriptionId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownSubscriptionError',
    message: `subscription ${subscriptionId} does not exist (or its messages are no longer kept)`,
    code: 'unknown-subscription',
  });

const busy = (message: string): ExplorerError =>
  new ExplorerError({ name: 'BusyError', message, code: 'busy' });

/** Histories, exports and recordings of subscriptions. */
export class SubscriptionFiles implements MessageTap {
  readonly #subs = new Map<string, Sub>();
  readonly #options: SubscriptionFilesOptions;
  readonly #now: () => number;

  constructor(options: SubscriptionFilesOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  started(subscriptionId: string, ownerId: string, spec: SubscribeSpec): void {
    this.#subs.set(subscriptionId, {
      ownerId,
      topic: spec.topic,
      messageType: this.#options.messageTypeOf?.(spec.connectionId) ?? 'json',
      history: new MessageHistory(
        this.#options.historyMessages ?? HISTORY_MESSAGES,
        this.#options.historyBytes ?? HISTORY_BYTES,
      ),
      last: 0,
      live: true,
      exporting: false,
    });
  }

  received(subscriptionId: string, message: AmpsMessageLike, receivedAt: number): void {
    const sub = this.#subs.get(subscriptionId);
    if (sub === undefined || !sub.live) return;
    const index = ++sub.last;
    sub.history.add(index, message, receivedAt);
    sub.recorder?.add(index, message, receivedAt);
  }

  ended(subscriptionId: string): void {
    const sub = this.#subs.get(subscriptionId);
    if (sub === undefined) return;
    sub.live = false;
    void sub.recorder?.stop('subscription-ended');
    // Keeps the newest few ended histories of the owner (an export after unsubscribing).
    const ended = [...this.#subs].filter(([, s]) => s.ownerId === sub.ownerId && !s.live);
    for (const [id] of ended.slice(0, Math.max(0, ended.length - KEPT_ENDED))) this.#subs.delete(id);
  }

  /** Writes the messages held (all, or the indexes asked for, in that order) to a new file. */
  async export(request: MessageExportRequest, ownerId: string): Promise<MessageExportResult> {
    const sub = this.#owned(request.subscriptionId, ownerId);
    if (sub.exporting) throw busy(`subscription ${request.subscriptionId} is already being exported`);
    let messages: HeldMessage[];
    let missing = 0;
    if (request.indexes === undefined) messages = sub.history.all();
    else {
      messages = [];
      for (const index of request.indexes) {
        const m = sub.history.get(index);
        if (m === undefined) missing++;
        else messages.push(m);
      }
    }
    sub.exporting = true;
    const { subscriptionId } = request;
    const emit = (written: number, total: number, done: boolean): void =>
      this.#options.emitExportProgress(ownerId, { subscriptionId, written, total, done });
    try {
      const file = await ExportFile.create(this.#options.dir, sub.topic, request.format, this.#now());
      try {
        const counts = await writeMessages({
          file,
          format: request.format,
          messages,
          messageType: sub.messageType,
          onProgress: (written, total) => emit(written, total, false),
        });
        await file.close();
        sub.exported = file.path;
        emit(counts.messages, messages.length, true);
        return {
          path: file.path,
          messages: counts.messages,
          bytes: file.bytes,
          missing,
          omittedColumns: counts.omittedColumns,
        };
      } catch (error) {
        file.abort();
        throw error;
      }
    } finally {
      sub.exporting = false;
    }
  }

  /** Starts recording a live subscription to a new NDJSON file. */
  async startRecording(request: RecordingRequest, ownerId: string): Promise<RecordingProgress> {
    const sub = this.#owned(request.subscriptionId, ownerId);
    if (!sub.live)
      throw busy(
        `subscription ${request.subscriptionId} has ended: only a live subscription can be recorded`,
      );
    if (sub.recorder !== undefined && !sub.recorder.stopping)
      throw busy(`subscription ${request.subscriptionId} is already being recorded to ${sub.recorder.path}`);
    const { subscriptionId } = request;
    const recorder = await Recorder.start({
      dir: this.#options.dir,
      stem: sub.topic,
      subscriptionId,
      ...(request.maxMessages === undefined ? {} : { maxMessages: request.maxMessages }),
      ...(request.maxSeconds === undefined ? {} : { maxSeconds: request.maxSeconds }),
      ...(this.#options.recordingMaxBytes === undefined ? {} : { maxBytes: this.#options.recordingMaxBytes }),
      now: this.#now,
      onProgress: (progress) => {
        this.#options.emitRecordingProgress(ownerId, progress);
      },
    });
    if (!sub.live) {
      // The subscription ended while the file was being opened.
      return recorder.stop('subscription-ended');
    }
    sub.recorder = recorder;
    const progress = recorder.progress();
    this.#options.emitRecordingProgress(ownerId, progress);
    return progress;
  }

  /** Stops the subscription's recording; resolves with its final state. */
  async stopRecording(subscriptionId: string, ownerId: string): Promise<RecordingProgress> {
    const sub = this.#owned(subscriptionId, ownerId);
    if (sub.recorder === undefined)
      throw new ExplorerError({
        name: 'NotRecordingError',
        message: `subscription ${subscriptionId} is not being recorded`,
        code: 'not-recording',
      });
    return sub.recorder.stop('stopped');
  }

  /** Shows the subscription's last export or recording in the file manager (a path main wrote, never one asked for). */
  reveal(subscriptionId: string, which: 'export' | 'recording', ownerId: string): void {
    const sub = this.#owned(subscriptionId, ownerId);
    const path = which === 'export' ? sub.exported : sub.recorder?.path;
    if (path === undefined)
      throw new ExplorerError({
        name: 'NoFileError',
        message: `subscription ${subscriptionId} has no ${which} yet`,
        code: 'no-file',
      });
    if (this.#options.revealFile === undefined)
      throw new ExplorerError({
        name: 'UnsupportedError',
        message: 'only the desktop app can open a file manager: copy the path instead',
        code: 'unsupported',
      });
    this.#options.revealFile(path);
  }

  /** Forgets an owner's histories and stops its recordings (the owner went away). */
  /** The payload of message `index` of the caller's subscription, while held (throws when not the caller's). */
  heldPayload(subscriptionId: string, index: number, ownerId: string): Uint8Array | undefined {
    return this.#owned(subscriptionId, ownerId).history.get(index)?.payload;
  }

  async releaseOwner(ownerId: string): Promise<void> {
    const mine = [...this.#subs].filter(([, s]) => s.ownerId === ownerId);
    for (const [id] of mine) this.#subs.delete(id);
    await Promise.all(mine.map(([, s]) => s.recorder?.stop('stopped')));
  }

  /** Stops every recording (app shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#subs.values()].map((s) => s.recorder?.stop('stopped')));
    this.#subs.clear();
  }

  #owned(subscriptionId: string, ownerId: string): Sub {
    const sub = this.#subs.get(subscriptionId);
    if (sub === undefined || sub.ownerId !== ownerId) throw unknownSubscription(subscriptionId);
    return sub;
  }
}
