/**
 * Exports and recordings of a subscription view, asked of main (which writes the files in its
 * exports folder and says where): what to export (every message main holds, the search
 * results, the selected message) and in which format, the export's progress and outcome; a
 * recording's bound (a count, a time, or until stopped), its progress and how it ended.
 * Pure logic on {@link Model}; the API is injected.
 */
import type {
  MessageExportFormat,
  MessageExportResult,
  RecordingProgress,
  RecordingStopReason,
} from '../../../common/src/dto/messageExport.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { messageOf, Model } from '../lib/model.js';

/** Which messages an export writes. */
export type ExportScope = 'all' | 'matches' | 'selected';

/** How a recording is bounded. */
export type RecordLimit = 'count' | 'time' | 'none';

/** What the export menu and the record panel show. */
export interface ExportSnapshot {
  format: MessageExportFormat;
  scope: ExportScope;
  /** An export is being written; its progress. */
  exporting: { written: number; total: number } | undefined;
  /** The last export's outcome. */
  result: MessageExportResult | undefined;
  exportError: string | undefined;
  recordLimit: RecordLimit;
  recordCount: number;
  recordSeconds: number;
  /** The running (or last) recording; `stopped` is set once it ended. */
  recording: RecordingProgress | undefined;
  /** Asking main to start or stop a recording. */
  recordBusy: boolean;
  recordError: string | undefined;
}

/** Why a recording stopped, in words. */
export function stopReasonText(reason: RecordingStopReason, p: RecordingProgress): string {
  switch (reason) {
    case 'count':
      return `stopped after ${p.maxMessages ?? p.messages} messages`;
    case 'time':
      return `stopped after ${p.maxSeconds ?? Math.round(p.elapsedMs / 1000)} s`;
    case 'size':
      return `stopped: the file reached its size limit (${formatBytes(p.maxBytes)})`;
    case 'stopped':
      return 'stopped';
    case 'subscription-ended':
      return 'stopped: the subscription ended';
    case 'error':
      return `failed: ${p.error ?? 'unknown error'}`;
  }
}

/** A byte count for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/** Exports and recordings of one subscription view. */
export class MessageExportModel extends Model<ExportSnapshot> {
  readonly #api: ExplorerApi;
  readonly #stops: (() => void)[];
  /** The subscription the running export or recording is of (events of others are ignored). */
  #exportOf: string | undefined;
  #recordingOf: string | undefined;

  constructor(api: ExplorerApi) {
    super({
      format: 'ndjson',
      scope: 'all',
      exporting: undefined,
      result: undefined,
      exportError: undefined,
      recordLimit: 'count',
      recordCount: 1000,
      recordSeconds: 60,
      recording: undefined,
      recordBusy: false,
      recordError: undefined,
    });
    this.#api = api;
    this.#stops = [
      api.onMessageExportProgress((p) => {
        if (p.subscriptionId !== this.#exportOf || this.state.exporting === undefined || p.done) return;
        this.update({ exporting: { written: p.written, total: p.total } });
      }),
      api.onRecordingProgress((p) => {
        if (p.subscriptionId !== this.#recordingOf) return;
        // The final state wins over a late progress event.
        if (this.state.recording?.stopped !== undefined && p.stopped === undefined) return;
        this.update({ recording: p });
      }),
    ];
  }

  setFormat(format: MessageExportFormat): void {
    this.update({ format });
  }

  setScope(scope: ExportScope): void {
    this.update({ scope });
  }

  setRecordLimit(recordLimit: RecordLimit): void {
    this.update({ recordLimit });
  }

  setRecordCount(recordCount: number): void {
    this.update({ recordCount });
  }

  setRecordSeconds(recordSeconds: number): void {
    this.update({ recordSeconds });
  }

  /** True while a recording runs. */
  get recordingActive(): boolean {
    const r = this.state.recording;
    return r !== undefined && r.stopped === undefined;
  }

  /**
   * Exports the subscription's messages: every one main holds (`all`), or the indexes given
   * for the search results or the selection.
   */
  async export(subscriptionId: string, indexes?: readonly number[]): Promise<void> {
    if (this.state.exporting !== undefined) return;
    if (this.state.scope !== 'all' && (indexes === undefined || indexes.length === 0)) {
      this.update({
        exportError:
          this.state.scope === 'matches' ? 'No search results to export.' : 'No message is selected.',
        result: undefined,
      });
      return;
    }
    this.#exportOf = subscriptionId;
    this.update({
      exporting: { written: 0, total: indexes?.length ?? 0 },
      exportError: undefined,
      result: undefined,
    });
    try {
      const result = await this.#api.exportMessages({
        subscriptionId,
        format: this.state.format,
        ...(this.state.scope === 'all' || indexes === undefined ? {} : { indexes: [...indexes] }),
      });
      this.update({ exporting: undefined, result });
    } catch (error) {
      this.update({ exporting: undefined, exportError: messageOf(error) });
    }
  }

  /** Starts recording the live subscription with the chosen bound. */
  async startRecording(subscriptionId: string): Promise<void> {
    if (this.state.recordBusy || this.recordingActive) return;
    const { recordLimit, recordCount, recordSeconds } = this.state;
    if (recordLimit === 'count' && !(Number.isInteger(recordCount) && recordCount >= 1)) {
      this.update({ recordError: 'The message count must be a whole number of at least 1.' });
      return;
    }
    if (recordLimit === 'time' && !(recordSeconds >= 1 && recordSeconds <= 86_400)) {
      this.update({ recordError: 'The time must be between 1 and 86400 seconds.' });
      return;
    }
    this.#recordingOf = subscriptionId;
    this.update({ recordBusy: true, recordError: undefined, recording: undefined });
    try {
      const started = await this.#api.startRecording({
        subscriptionId,
        ...(recordLimit === 'count' ? { maxMessages: recordCount } : {}),
        ...(recordLimit === 'time' ? { maxSeconds: recordSeconds } : {}),
      });
      // Progress events may have arrived first (a short count stops at once).
      const seen = this.state.recording;
      this.update({
        recordBusy: false,
        recording: seen !== undefined && seen.path === started.path ? seen : started,
      });
    } catch (error) {
      this.update({ recordBusy: false, recordError: messageOf(error) });
    }
  }

  /** Stops the running recording. */
  async stopRecording(): Promise<void> {
    const id = this.#recordingOf;
    if (id === undefined || !this.recordingActive) return;
    this.update({ recordBusy: true });
    try {
      const final = await this.#api.stopRecording({ subscriptionId: id });
      this.update({ recordBusy: false, recording: final });
    } catch (error) {
      this.update({ recordBusy: false, recordError: messageOf(error) });
    }
  }

  /** Shows the last export or recording in the system's file manager (the desktop app). */
  async reveal(file: 'export' | 'recording'): Promise<void> {
    const subscriptionId = file === 'export' ? this.#exportOf : this.#recordingOf;
    if (subscriptionId === undefined) return;
    try {
      await this.#api.revealMessageFile({ subscriptionId, file });
    } catch (error) {
      this.update(file === 'export' ? { exportError: messageOf(error) } : { recordError: messageOf(error) });
    }
  }

  dispose(): void {
    for (const stop of this.#stops) stop();
  }
}
