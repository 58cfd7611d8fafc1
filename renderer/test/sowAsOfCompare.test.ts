import { describe, expect, it } from 'vitest';
import type { SowAsOfDiff } from '../../common/src/dto/sowAsOf.js';
import { sowAsOfDiffSchema } from '../../common/src/ipc/sowSchemas.js';
import { compareEntries, compareRequest, compareSummary, NOW_BOOKMARK } from '../src/sow/sowAsOfCompare.js';
import { CURRENT_STATE } from '../src/sow/sowAsOf.js';

const at = (asOfTime: string) => ({ ...CURRENT_STATE, asOf: 'time' as const, asOfTime, asOfZone: 'utc' as const });
const bookmark = (b: string) => ({ ...CURRENT_STATE, asOf: 'bookmark' as const, asOfBookmark: b });

describe('compare the SOW as of T1 with T2', () => {
  it('two dates and times become two AMPS timestamps the IPC schema accepts', () => {
    const made = compareRequest('c1', ' orders ', "/sym = 'IBM'", at('2026-03-04T05:06:07'), at('2026-03-04T05:07:00'));
    expect(made).toEqual({
      request: { connectionId: 'c1', topic: 'orders', filter: "/sym = 'IBM'", from: '20260304T050607Z', to: '20260304T050700Z' },
    });
    if (!('request' in made)) throw new Error('no request');
    expect(sowAsOfDiffSchema.parse(made.request)).toEqual(made.request);
    expect(() => sowAsOfDiffSchema.parse({ ...made.request, from: 'yesterday' })).toThrow(/from/);
  });

  it('a bookmark and the current state (NOW) can be compared', () => {
    const made = compareRequest('c1', 'orders', '', bookmark('12|3|'), CURRENT_STATE);
    expect(made).toEqual({ request: { connectionId: 'c1', topic: 'orders', from: '12|3|', to: NOW_BOOKMARK } });
  });

  it('names each problem: no connection, no topic, a bad point, the same point twice', () => {
    const bad = compareRequest(undefined, '', '', bookmark('yesterday'), at(''));
    expect('problems' in bad && bad.problems).toEqual([
      'The tab has no open connection.',
      'Enter the topic to compare.',
      'T1: "yesterday" is not a bookmark such as 12345|67|',
      'T2: enter a date and time',
    ]);
    expect(compareRequest('c', 'orders', '', bookmark('1|2|'), bookmark('1|2|'))).toEqual({
      problems: ['T1 and T2 are the same point in time: nothing can differ.'],
    });
  });

  it('lists each record with its field diffs and sums the compare up with what the bounds left out', () => {
    const diff: SowAsOfDiff = {
      fromRecords: 3,
      toRecords: 3,
      added: 1,
      removed: 1,
      changed: 1,
      unchanged: 1,
      changes: [
        { key: 'k4', kind: 'added', after: '{"id":4,"sym":"ORCL"}' },
        { key: 'k2', kind: 'removed', before: '{"id":2,"sym":"MSFT"}' },
        { key: 'k1', kind: 'changed', before: '{"id":1,"px":{"bid":1}}', after: '{"id":1,"px":{"bid":2},"note":"x"}' },
      ],
      changesTruncated: false,
    };
    const entries = compareEntries(diff);
    expect(entries[0]?.fields.map((f) => `${f.kind} ${f.path}`)).toEqual(['added /id', 'added /sym']);
    expect(entries[1]?.fields.map((f) => `${f.kind} ${f.path}`)).toEqual(['removed /id', 'removed /sym']);
    expect(entries[2]?.fields).toEqual([
      { path: '/px/bid', kind: 'changed', before: 1, after: 2 },
      { path: '/note', kind: 'added', after: 'x' },
    ]);
    expect(compareSummary(diff)).toBe('1 added, 1 removed, 1 changed, 1 unchanged (3 records at T1, 3 records at T2)');
    expect(compareSummary({ ...diff, changesTruncated: true, recordLimit: 50_000 })).toBe(
      '1 added, 1 removed, 1 changed, 1 unchanged (3 records at T1, 3 records at T2); the first 3 records that differ are listed; stopped at 50,000 records per point in time, so records past it were not compared',
    );
  });
});
