import { describe, expect, it } from 'vitest';
import { SowPending } from '../main/services/sow/sowPending.js';
import { mergeDelta, SowRecords } from '../main/services/sow/sowRecords.js';

describe('SowPending', () => {
  const data = (key: string) => `{"k":"${key}"}`;

  it('keeps the latest state per key, counts the folded ones, and unites delta field sets', () => {
    const p = new SowPending();
    p.upsert('a', ['/x']);
    p.upsert('b');
    p.upsert('a', ['/y/z']);
    p.upsert('c', ['/x']);
    p.remove('c', 'expired');
    const taken = p.take(100, data);
    expect(taken.conflated).toBe(2);
    expect(taken.upserts).toEqual([
      { key: 'b', data: '{"k":"b"}' },
      { key: 'a', data: '{"k":"a"}', changed: ['/x', '/y/z'] },
    ]);
    expect(taken.removals).toEqual([{ key: 'c', reason: 'expired' }]);
    expect(p.size).toBe(0);
  });

  it('a whole-record update is not narrowed by a later delta; a key removed then re-added is an upsert', () => {
    const p = new SowPending();
    p.upsert('a');
    p.upsert('a', ['/x']);
    p.remove('b', 'match');
    p.upsert('b');
    const taken = p.take(100, data);
    expect(taken.upserts).toEqual([
      { key: 'a', data: '{"k":"a"}' },
      { key: 'b', data: '{"k":"b"}' },
    ]);
    expect(taken.removals).toEqual([]);
  });

  it('takes at most max changes; the rest waits, oldest first', () => {
    const p = new SowPending();
    for (let i = 0; i < 5; i++) p.upsert(`k${i}`);
    expect(p.take(2, data).upserts.map((u) => u.key)).toEqual(['k0', 'k1']);
    expect(p.take(10, data).upserts.map((u) => u.key)).toEqual(['k2', 'k3', 'k4']);
  });
});

describe('SowRecords', () => {
  it('merges deltas field by field and names each changed leaf path', () => {
    const changed: string[] = [];
    const merged = mergeDelta(
      { id: 1, c: { name: 'a', city: 'x' }, q: 2 },
      { c: { name: 'b' }, t: { u: 1, v: 2 } },
      changed,
    );
    expect(merged).toEqual({ id: 1, c: { name: 'b', city: 'x' }, q: 2, t: { u: 1, v: 2 } });
    expect(changed).toEqual(['/c/name', '/t/u', '/t/v']);
  });

  it('counts characters and refuses records past its limits with a message naming the limit', () => {
    const r = new SowRecords({ maxRecords: 2, maxChars: 10 });
    r.put('a', '12345', { topic: 't' });
    r.put('a', '123', { topic: 't' });
    expect(r.chars).toBe(3);
    r.put('b', '1234567', { topic: 't' });
    expect(() => r.put('c', '1', { topic: 't' })).toThrow(/limit of 2 records/);
    expect(() => r.put('a', '1234', { topic: 't' })).toThrow(/limit of 10 characters/);
    r.delete('b');
    expect(r.chars).toBe(3);
  });

  it('a delta for an unknown key, or one that is not JSON, replaces the record whole', () => {
    const r = new SowRecords();
    expect(r.merge('a', '{"x":1}', { topic: 't' })).toBeUndefined();
    expect(r.merge('a', '{"y":2}', { topic: 't' })).toEqual(['/y']);
    expect(r.data('a')).toBe('{"x":1,"y":2}');
    expect(r.merge('a', 'not json', { topic: 't' })).toBeUndefined();
    expect(r.data('a')).toBe('not json');
  });
});
