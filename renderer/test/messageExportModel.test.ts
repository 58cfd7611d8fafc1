import { describe, expect, it } from 'vitest';
import type {
  MessageExportProgress,
  MessageExportRequest,
  RecordingProgress,
  RecordingRequest,
} from '../../common/src/dto/messageExport.js';
import { MessageExportModel, stopReasonText } from '../src/subscriptions/messageExportModel.js';
import { FakeApi } from './fakes.js';

const setup = () => {
  const fake = new FakeApi();
  const exportListeners: Array<(p: MessageExportProgress) => void> = [];
  const recordingListeners: Array<(p: RecordingProgress) => void> = [];
  const asked: { exports: MessageExportRequest[]; recordings: RecordingRequest[] } = {
    exports: [],
    recordings: [],
  };
  let finishExport: (() => void) | undefined;
  Object.assign(fake.extra, {
    onMessageExportProgress: (cb: (p: MessageExportProgress) => void) => {
      exportListeners.push(cb);
      return () => undefined;
    },
    onRecordingProgress: (cb: (p: RecordingProgress) => void) => {
      recordingListeners.push(cb);
      return () => undefined;
    },
    exportMessages: (request: MessageExportRequest) => {
      asked.exports.push(request);
      return new Promise((resolve) => {
        finishExport = () =>
          resolve({
            path: '/data/exports/orders.ndjson',
            messages: 3,
            bytes: 120,
            missing: 0,
            omittedColumns: 0,
          });
      });
    },
    startRecording: (request: RecordingRequest) => {
      asked.recordings.push(request);
      return Promise.resolve(progress({}));
    },
    stopRecording: () => Promise.resolve(progress({ messages: 7, stopped: 'stopped' })),
  });
  const model = new MessageExportModel(fake.api);
  return {
    fake,
    model,
    asked,
    finish: () => finishExport?.(),
    exportEvent: (p: MessageExportProgress) => exportListeners.forEach((l) => l(p)),
    recordingEvent: (p: RecordingProgress) => recordingListeners.forEach((l) => l(p)),
  };
};

const progress = (over: Partial<RecordingProgress>): RecordingProgress => ({
  subscriptionId: 's1',
  path: '/data/exports/orders-recording.ndjson',
  messages: 0,
  bytes: 0,
  elapsedMs: 0,
  maxBytes: 1024,
  ...over,
});

describe('message export model', () => {
  it('exports every held message in the chosen format, showing progress, then the path', async () => {
    const t = setup();
    t.model.setFormat('csv');
    const done = t.model.export('s1');
    expect(t.asked.exports).toEqual([{ subscriptionId: 's1', format: 'csv' }]);
    t.exportEvent({ subscriptionId: 's1', written: 1000, total: 3000, done: false });
    t.exportEvent({ subscriptionId: 'other', written: 1, total: 2, done: false });
    expect(t.model.state.exporting).toEqual({ written: 1000, total: 3000 });
    t.finish();
    await done;
    expect(t.model.state.exporting).toBeUndefined();
    expect(t.model.state.result?.path).toBe('/data/exports/orders.ndjson');
  });

  it('exports the search results or the selection by index, and says when there are none', async () => {
    const t = setup();
    t.model.setScope('matches');
    await t.model.export('s1', []);
    expect(t.model.state.exportError).toBe('No search results to export.');
    expect(t.asked.exports).toEqual([]);
    const done = t.model.export('s1', [4, 9]);
    t.finish();
    await done;
    expect(t.asked.exports).toEqual([{ subscriptionId: 's1', format: 'ndjson', indexes: [4, 9] }]);
    expect(t.model.state.exportError).toBeUndefined();
  });

  it('records for a count, follows its progress and keeps the final state', async () => {
    const t = setup();
    t.model.setRecordCount(5);
    await t.model.startRecording('s1');
    expect(t.asked.recordings).toEqual([{ subscriptionId: 's1', maxMessages: 5 }]);
    expect(t.model.recordingActive).toBe(true);
    t.recordingEvent(progress({ messages: 3, bytes: 90 }));
    expect(t.model.state.recording?.messages).toBe(3);
    t.recordingEvent(progress({ messages: 5, stopped: 'count', maxMessages: 5 }));
    t.recordingEvent(progress({ messages: 4 }));
    expect(t.model.state.recording?.stopped).toBe('count');
    expect(t.model.recordingActive).toBe(false);
    const r = t.model.state.recording;
    expect(r && stopReasonText('count', r)).toBe('stopped after 5 messages');
  });

  it('records for a time or until stopped, and refuses a bad bound', async () => {
    const t = setup();
    t.model.setRecordLimit('time');
    t.model.setRecordSeconds(0);
    await t.model.startRecording('s1');
    expect(t.model.state.recordError).toMatch(/between 1 and 86400/);
    t.model.setRecordSeconds(30);
    await t.model.startRecording('s1');
    expect(t.asked.recordings).toEqual([{ subscriptionId: 's1', maxSeconds: 30 }]);
    await t.model.stopRecording();
    expect(t.model.state.recording).toMatchObject({ stopped: 'stopped', messages: 7 });
    t.model.setRecordLimit('none');
    await t.model.startRecording('s1');
    expect(t.asked.recordings.at(-1)).toEqual({ subscriptionId: 's1' });
  });
});

describe('show in folder', () => {
  it('asks main to reveal the last export of its subscription, and shows a refusal', async () => {
    const t = setup();
    const asked: unknown[] = [];
    let refuse = false;
    Object.assign(t.fake.extra, {
      revealMessageFile: (request: unknown) => {
        asked.push(request);
        return refuse
          ? Promise.reject(new Error('only the desktop app can open a file manager'))
          : Promise.resolve();
      },
    });
    const done = t.model.export('s1');
    t.finish();
    await done;
    await t.model.reveal('export');
    expect(asked).toEqual([{ subscriptionId: 's1', file: 'export' }]);
    refuse = true;
    await t.model.reveal('export');
    expect(t.model.state.exportError).toMatch(/only the desktop app/);
  });
});
