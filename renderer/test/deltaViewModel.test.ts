import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/src/dto/subscriptions.js';
import { DeltaMerger, recordPieces } from '../src/subscriptions/deltaViewModel.js';
import type { DeltaSource } from '../src/subscriptions/deltaViewModel.js';

let nextIndex = 1;
function msg(data: unknown, sowKey: string | undefined, extra: Partial<MessageDto> = {}): MessageDto {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return {
    index: nextIndex++,
    command: 'p',
    topic: 'orders',
    data: text,
    size: text.length,
    truncated: false,
    ...(sowKey === undefined ? {} : { sowKey }),
    receivedAt: 0,
    ...extra,
  };
}

/** A list as the feed shows it: newest first. */
function listOf(messages: readonly MessageDto[], version: number): DeltaSource {
  return {
    count: messages.length,
    newestOnTop: true,
    rowAt: (row) => messages[messages.length - 1 - row],
    version,
  };
}

describe('delta merged view', () => {
  it('merges each delta into the record of its SowKey and names the fields it changed', () => {
    nextIndex = 1;
    const m = new DeltaMerger();
    m.apply(msg({ id: 1, sym: 'IBM', qty: 30, customer: { name: 'Ann', city: 'Oslo' } }, 'k1'));
    m.apply(msg({ id: 2, sym: 'MSFT', qty: 10 }, 'k2'));
    const delta = msg({ id: 1, qty: 31, customer: { city: 'Rome' } }, 'k1');
    m.apply(delta);
    const s = m.snapshot();
    expect(s.rows.map((r) => r.key)).toEqual(['k1', 'k2']);
    const k1 = s.rows[0];
    expect(k1?.value).toEqual({ id: 1, sym: 'IBM', qty: 31, customer: { name: 'Ann', city: 'Rome' } });
    expect(k1?.changes).toEqual([
      { path: '/qty', kind: 'changed', before: 30, after: 31 },
      { path: '/customer/city', kind: 'changed', before: 'Oslo', after: 'Rome' },
    ]);
    expect(k1?.last).toBe(delta);
    expect(k1?.updates).toBe(2);
    expect(s.rows[1]?.changes).toEqual([]);
    expect(s.merged).toBe(3);
    // The delta extends the record with a new field.
    m.apply(msg({ id: 2, venue: 'X' }, 'k2'));
    expect(m.get('k2')?.changes).toEqual([{ path: '/venue', kind: 'added', after: 'X' }]);
  });

  it('marks the changed fields in the row, nested ones by path', () => {
    nextIndex = 1;
    const m = new DeltaMerger();
    m.apply(msg({ id: 1, qty: 30, customer: { name: 'Ann', city: 'Oslo' }, tags: ['a'] }, 'k'));
    m.apply(msg({ id: 1, customer: { city: 'Rome' }, tags: ['a', 'b'] }, 'k'));
    const record = m.get('k');
    if (record === undefined) throw new Error('no record');
    expect(recordPieces(record)).toEqual([
      { path: '/id', text: '1', changed: false },
      { path: '/qty', text: '30', changed: false },
      { path: '/customer/name', text: '"Ann"', changed: false },
      { path: '/customer/city', text: '"Rome"', changed: true },
      { path: '/tags', text: '["a","b"]', changed: true },
    ]);
    expect(recordPieces(record, 2)).toHaveLength(2);
  });

  it('keeps at most its key budget, evicting the least recently updated and counting it', () => {
    nextIndex = 1;
    const m = new DeltaMerger(2);
    m.apply(msg({ id: 1 }, 'a'));
    m.apply(msg({ id: 2 }, 'b'));
    m.apply(msg({ id: 1, x: 1 }, 'a'));
    m.apply(msg({ id: 3 }, 'c'));
    const s = m.snapshot();
    expect(s.rows.map((r) => r.key)).toEqual(['c', 'a']);
    expect(s.evicted).toBe(1);
    expect(() => new DeltaMerger(0)).toThrow(/key capacity must be a whole number >= 1, got 0/);
  });

  it('counts messages without a SowKey, removes a record that left (oof), replaces a payload that is not JSON', () => {
    nextIndex = 1;
    const m = new DeltaMerger();
    m.apply(msg({ id: 1 }, undefined));
    m.apply(msg({ id: 2 }, 'k2'));
    m.apply(msg({ id: 2 }, 'k2', { command: 'oof' }));
    m.apply(msg('8=FIX|35=D', 'f'));
    m.apply(msg('8=FIX|35=G', 'f'));
    m.apply(msg('', undefined, { command: 'ack' }));
    const s = m.snapshot();
    expect(s.unkeyed).toBe(1);
    expect(s.removed).toBe(1);
    expect(s.rows.map((r) => r.key)).toEqual(['f']);
    expect(s.rows[0]?.json).toBe(false);
    expect(s.rows[0]?.changes).toEqual([
      { path: '/', kind: 'changed', before: '8=FIX|35=D', after: '8=FIX|35=G' },
    ]);
    const f = s.rows[0];
    if (f === undefined) throw new Error('no record');
    expect(recordPieces(f)).toEqual([{ path: '/', text: '8=FIX|35=G', changed: true }]);
  });

  it('reads only the messages a list added since it last looked, counts gaps, starts over for a new subscription', () => {
    nextIndex = 1;
    const m = new DeltaMerger();
    const held = [msg({ id: 1, q: 1 }, 'k'), msg({ id: 1, q: 2 }, 'k')];
    m.observe(listOf(held, 1));
    m.observe(listOf(held, 1));
    expect(m.get('k')?.updates).toBe(2);
    nextIndex = 5; // messages 3 and 4 were dropped before the list held them
    held.push(msg({ id: 1, q: 5 }, 'k'));
    m.observe(listOf(held, 2));
    expect(m.get('k')?.value).toEqual({ id: 1, q: 5 });
    expect(m.get('k')?.updates).toBe(3);
    expect(m.snapshot().missed).toBe(2);
    // Oldest-first list order reads the same.
    nextIndex = 1;
    const fresh = [msg({ id: 9 }, 'n')];
    m.observe({ count: 1, newestOnTop: false, rowAt: (r) => fresh[r], version: 3 });
    expect(m.snapshot().rows.map((r) => r.key)).toEqual(['n']);
    expect(m.snapshot().missed).toBe(0);
    // The list was cleared: so is the merged view, and the next message starts it without a gap.
    m.observe(listOf([], 4));
    expect(m.snapshot().rows).toEqual([]);
    nextIndex = 40;
    m.observe(listOf([msg({ id: 4 }, 'z')], 5));
    expect(m.snapshot()).toMatchObject({ merged: 1, missed: 0 });
  });

  it('leaves the records it merged unchanged and keeps a __proto__ field as data', () => {
    nextIndex = 1;
    const m = new DeltaMerger();
    m.apply(msg({ id: 1, nested: { a: 1 } }, 'k'));
    const first = m.get('k')?.value;
    m.apply(msg('{"id":1,"nested":{"b":2},"__proto__":{"polluted":true}}', 'k'));
    expect(first).toEqual({ id: 1, nested: { a: 1 } });
    const merged = m.get('k')?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(merged.nested).toEqual({ a: 1, b: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not merge a payload cut for display into a JSON record', () => {
    nextIndex = 1;
    const m = new DeltaMerger();
    m.apply(msg({ id: 1, q: 1 }, 'k'));
    m.apply(msg('{"id":1,"q":', 'k', { truncated: true }));
    const record = m.get('k');
    expect(record?.json).toBe(false);
    expect(record?.changes[0]).toMatchObject({ path: '/', types: { before: 'object', after: 'string' } });
  });
});
