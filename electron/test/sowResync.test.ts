import { describe, expect, it } from 'vitest';
import { Message } from '../../client/src/protocol/message.js';
import type { SowQuerySpec } from '../../common/src/dto/sow.js';
import { DEFAULT_RECORD_LIMITS } from '../main/services/sow/sowRecords.js';
import { RESYNC_REASON } from '../main/services/sow/sowResync.js';
import { SowView } from '../main/services/sow/sowView.js';

const msg = (command: string, fields: Record<string, string> = {}, text = ''): Message =>
  new Message({ command, topic: 'orders', ...fields }, Buffer.from(text));
const sow = (key: string, text: string): Message => msg('sow', { sowKey: key }, text);
const pub = (key: string, text: string): Message => msg('p', { sowKey: key }, text);

const spec = (mode: SowQuerySpec['mode']): SowQuerySpec => ({ connectionId: 'c', topic: 'orders', mode });

function view(mode: SowQuerySpec['mode'] = 'live'): SowView {
  return new SowView({
    queryId: 'q',
    ownerId: 'w',
    spec: spec(mode),
    limits: DEFAULT_RECORD_LIMITS,
    startedAt: 0,
  });
}

/** The initial SOW of three records, then live. */
function started(v: SowView): SowView {
  v.take(msg('group_begin'));
  v.take(sow('1', '{"id":1,"qty":10}'));
  v.take(sow('2', '{"id":2,"qty":20}'));
  v.take(sow('3', '{"id":3,"qty":30}'));
  v.take(msg('group_end'));
  v.pending.take(1000, (k) => v.records.data(k));
  return v;
}

describe('SowView after a resubscribe (failover, reconnect)', () => {
  it('records missing from the resent SOW leave main and the renderer with reason resync', () => {
    const v = started(view());
    // Failover: the HA client places the sow_and_subscribe again; record 2 was deleted meanwhile.
    v.take(msg('group_begin'));
    v.take(sow('1', '{"id":1,"qty":10}'));
    v.take(sow('3', '{"id":3,"qty":31}'));
    expect(v.records.has('2')).toBe(true);
    v.take(msg('group_end'));
    expect(v.records.has('2')).toBe(false);
    expect([...v.records.entries()].map(([k]) => k).sort()).toEqual(['1', '3']);
    expect(v.resynced).toBe(1);
    expect(v.phase).toBe('live');
    const taken = v.pending.take(1000, (k) => v.records.data(k));
    expect(taken.removals).toEqual([{ key: '2', reason: RESYNC_REASON }]);
    // Record 1 came back unchanged: not delivered again; record 3 changed: delivered.
    expect(taken.upserts.map((u) => [u.key, u.data])).toEqual([['3', '{"id":3,"qty":31}']]);
  });

  it('a record published while the SOW is resent stays, and records new on the server are added', () => {
    const v = started(view());
    v.take(msg('group_begin'));
    v.take(sow('1', '{"id":1,"qty":10}'));
    v.take(pub('2', '{"id":2,"qty":22}'));
    v.take(sow('4', '{"id":4,"qty":40}'));
    v.take(msg('group_end'));
    expect([...v.records.entries()].map(([k]) => k).sort()).toEqual(['1', '2', '4']);
    const taken = v.pending.take(1000, (k) => v.records.data(k));
    expect(taken.removals).toEqual([{ key: '3', reason: RESYNC_REASON }]);
    expect(taken.upserts.map((u) => u.key).sort()).toEqual(['2', '4']);
  });

  it('an empty resent SOW removes every record; a later resubscribe reconciles again', () => {
    const v = started(view('live_delta'));
    v.take(msg('group_begin'));
    v.take(msg('group_end'));
    expect(v.records.size).toBe(0);
    expect(
      v.pending
        .take(1000, (k) => v.records.data(k))
        .removals.map((r) => r.key)
        .sort(),
    ).toEqual(['1', '2', '3']);
    v.take(pub('5', '{"id":5}'));
    v.take(msg('group_begin'));
    v.take(msg('group_end'));
    expect(v.records.size).toBe(0);
    expect(v.resynced).toBe(4);
  });

  it('the first SOW of a view is not a resync: nothing is removed', () => {
    const v = view();
    v.take(msg('group_begin'));
    v.take(sow('1', '{"id":1}'));
    v.take(msg('group_end'));
    expect(v.records.size).toBe(1);
    expect(v.resynced).toBe(0);
    expect(v.pending.take(1000, (k) => v.records.data(k)).removals).toEqual([]);
  });
});
