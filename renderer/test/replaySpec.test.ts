import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/src/dto/subscriptions.js';
import { ReplayTracker } from '../src/replay/replayProgress.js';
import {
  DEFAULT_REPLAY,
  buildReplay,
  readableTimestamp,
  restoreReplay,
  toAmpsTimestamp,
  type ReplayChoice,
} from '../src/replay/replaySpec.js';

const choice = (patch: Partial<ReplayChoice>): ReplayChoice => ({ ...DEFAULT_REPLAY, ...patch });

describe('replay choice', () => {
  it('builds the bookmark of each start', () => {
    expect(buildReplay(choice({ start: 'epoch' }))).toEqual({ spec: { bookmark: '0', options: '' } });
    expect(buildReplay(choice({ start: 'now' }))).toEqual({ spec: { bookmark: '0|1|', options: '' } });
    expect(buildReplay(choice({ start: 'recent' }))).toEqual({ spec: { bookmark: 'recent', options: '' } });
    expect(buildReplay(choice({ start: 'bookmark', bookmark: ' 12|3|, 45|6| ' }))).toEqual({
      spec: { bookmark: '12|3|,45|6|', options: '' },
    });
    expect(buildReplay(choice({ start: 'timestamp', dateTime: '2024-01-15T09:30:05', zone: 'utc' }))).toEqual({
      spec: { bookmark: '20240115T093005Z', options: '' },
    });
  });

  it('converts a local date and time to the UTC AMPS timestamp', () => {
    const local = new Date(2024, 0, 15, 9, 30, 0);
    const expected = local.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    expect(toAmpsTimestamp('2024-01-15T09:30', 'local')).toBe(expected);
    expect(toAmpsTimestamp('2024-02-30T00:00', 'utc')).toBeUndefined();
    expect(toAmpsTimestamp('yesterday', 'utc')).toBeUndefined();
  });

  it('passes rate and rate_max_gap as AMPS options', () => {
    expect(buildReplay(choice({ rate: '2X', maxGap: '10s' }))).toEqual({
      spec: { bookmark: '0', options: 'rate=2X,rate_max_gap=10s' },
    });
    expect(buildReplay(choice({ rate: '.5X' }))).toEqual({ spec: { bookmark: '0', options: 'rate=.5X' } });
    expect(buildReplay(choice({ rate: '500KB' }))).toEqual({ spec: { bookmark: '0', options: 'rate=500KB' } });
    expect(buildReplay(choice({ rate: '1000' }))).toEqual({ spec: { bookmark: '0', options: 'rate=1000' } });
  });

  it('names what is wrong, field by field', () => {
    const bad = buildReplay(choice({ start: 'bookmark', bookmark: 'abc', rate: 'fast', maxGap: 'later' }));
    expect('problems' in bad && bad.problems.map((p) => p.field)).toEqual(['bookmark', 'rate', 'maxGap']);
    const noTime = buildReplay(choice({ start: 'timestamp' }));
    expect('problems' in noTime && noTime.problems[0]?.message).toMatch(/date and time/);
    const gapOnly = buildReplay(choice({ maxGap: '5s' }));
    expect('problems' in gapOnly && gapOnly.problems[0]?.message).toMatch(/set a rate/);
    const zero = buildReplay(choice({ rate: '0' }));
    expect('problems' in zero && zero.problems[0]?.field).toBe('rate');
  });

  it('restores a saved choice, defaulting unknown fields', () => {
    expect(restoreReplay({ start: 'timestamp', dateTime: '2024-01-01T00:00', zone: 'utc', rate: 7 })).toEqual(
      choice({ start: 'timestamp', dateTime: '2024-01-01T00:00', zone: 'utc' }),
    );
    expect(restoreReplay('nonsense')).toEqual(DEFAULT_REPLAY);
    expect(restoreReplay({ start: 'tomorrow' }).start).toBe('epoch');
  });

  it('reads AMPS timestamps for the readout', () => {
    expect(readableTimestamp('20240115T093005.123456Z')).toBe('2024-01-15 09:30:05.123 UTC');
    expect(readableTimestamp('20240115T093005')).toBe('2024-01-15 09:30:05 UTC');
    expect(readableTimestamp('odd')).toBe('odd');
  });
});

describe('replay progress', () => {
  const m = (index: number, extra: Partial<MessageDto> = {}): MessageDto => ({
    index,
    command: 'p',
    topic: 't',
    data: '{}',
    size: 2,
    truncated: false,
    receivedAt: 0,
    ...extra,
  });

  it('follows the time replayed, then marks the completed ack as the live boundary', () => {
    const rows: MessageDto[] = [];
    let version = 0;
    const snapshot = (added: number) => ({
      count: rows.length,
      newestOnTop: true,
      rowAt: (row: number) => rows[rows.length - 1 - row],
      lastChange: { added, removed: 0 },
      version: ++version,
    });
    const tracker = new ReplayTracker();
    rows.push(m(1, { timestamp: '20240101T000001Z' }), m(2, { timestamp: '20240101T000002Z' }));
    expect(tracker.observe(snapshot(2))).toEqual({ at: '20240101T000002Z', completed: undefined, replayed: 2 });
    const ack = m(3, { command: 'ack', bookmark: '1|2|', data: '' });
    rows.push(ack, m(4, { timestamp: '20240101T000009Z' }));
    const latest = snapshot(2);
    const p = tracker.observe(latest);
    expect(p.completed).toBe(ack);
    expect(p.replayed).toBe(2);
    expect(p.at).toBe('20240101T000009Z');
    // The same snapshot again changes nothing.
    expect(tracker.observe(latest)).toBe(p);
    tracker.reset();
    expect(tracker.progress.completed).toBeUndefined();
  });
});
