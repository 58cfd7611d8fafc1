import { describe, expect, it } from 'vitest';
import { ampsTimeToIso, diffFields, historyEntries, historyFilter } from '../src/sow/sowHistory.js';

describe('record history model', () => {
  it('selects the record by its key fields', () => {
    expect(historyFilter(['/desk', '/sym'], '{"desk":"EU","sym":"O\'Neil","qty":3}')).toEqual({
      filter: "/desk = 'EU' AND /sym = 'O''Neil'",
    });
    expect(historyFilter(['/id'], '{"qty":3}')).toEqual({ problem: 'the message has no value for the key field /id' });
    expect(historyFilter([], '{"id":1}')).toHaveProperty('problem');
    expect(historyFilter(['/id'], 'not json')).toEqual({
      problem: 'the record is not JSON, so its key fields cannot be read',
    });
  });

  it('reads AMPS timestamps as ISO times', () => {
    expect(ampsTimeToIso('20260102T030405.123456Z')).toBe('2026-01-02T03:04:05.123Z');
    expect(ampsTimeToIso('20260102T030405')).toBe('2026-01-02T03:04:05.000Z');
    expect(ampsTimeToIso('yesterday')).toBe('yesterday');
  });

  it('diffs nested fields: added, changed, removed', () => {
    expect(diffFields({ '/a': 1, '/b/c': 'x', '/d': [1] }, { '/a': 2, '/b/c': 'x', '/d': [1], '/e': true })).toEqual([
      { path: '/a', kind: 'changed', before: 1, after: 2 },
      { path: '/e', kind: 'added', after: true },
    ]);
    expect(diffFields({ '/a': 1, '/z': 0 }, { '/a': 1 })).toEqual([{ path: '/z', kind: 'removed', before: 0 }]);
  });

  it('numbers the versions and gives each the diff from the one before', () => {
    const entries = historyEntries([
      { data: '{"id":1,"qty":100}', bookmark: '1|1|', timestamp: '20260101T120000.000001Z' },
      { data: '{"id":1,"qty":150}', bookmark: '1|2|' },
      { data: '{"id":1,"qty":150,"note":"x"}' },
    ]);
    expect(entries.map((e) => e.number)).toEqual([1, 2, 3]);
    expect(entries[0]?.time).toBe('2026-01-01T12:00:00.000Z');
    expect(entries[0]?.changes.map((c) => c.path)).toEqual(['/id', '/qty']);
    expect(entries[1]?.changes).toEqual([{ path: '/qty', kind: 'changed', before: 100, after: 150 }]);
    expect(entries[2]?.changes).toEqual([{ path: '/note', kind: 'added', after: 'x' }]);
  });
});
