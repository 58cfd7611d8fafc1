import { describe, expect, it } from 'vitest';
import { FilterStore, HISTORY_KEY, HISTORY_LIMIT, SAVED_KEY, type FilterStorage } from '../src/filters/filterStore.js';

const memory = (): FilterStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe('filter history and saved filters', () => {
  it('keeps the filters used per topic, most recent first, without duplicates, bounded', () => {
    const storage = memory();
    const store = new FilterStore(storage);
    store.remember('orders', '/a = 1');
    store.remember('orders', '/b = 2');
    store.remember('orders', ' /a = 1 ');
    store.remember('trades', '/c = 3');
    store.remember('orders', '   ');
    expect(store.history('orders')).toEqual(['/a = 1', '/b = 2']);
    expect(new FilterStore(storage).history('trades')).toEqual(['/c = 3']);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) store.remember('orders', `/n = ${i}`);
    expect(store.history('orders')).toHaveLength(HISTORY_LIMIT);
    expect(store.history('orders')[0]).toBe(`/n = ${HISTORY_LIMIT + 4}`);
  });

  it('saves named filters per profile, replacing by name, and deletes them', () => {
    const store = new FilterStore(memory());
    expect(store.save('p1', 'big', '/qty > 100')).toBeUndefined();
    expect(store.save('p1', 'abc', '/s = 1')).toBeUndefined();
    expect(store.save('p1', 'big', '/qty > 1000')).toBeUndefined();
    expect(store.save('p2', 'other', '/x = 1')).toBeUndefined();
    expect(store.saved('p1')).toEqual([
      { name: 'abc', filter: '/s = 1' },
      { name: 'big', filter: '/qty > 1000' },
    ]);
    expect(store.save('p1', '  ', '/a = 1')).toMatch(/needs a name/);
    expect(store.save('p1', 'x', ' ')).toMatch(/no filter/);
    store.remove('p1', 'abc');
    expect(store.saved('p1').map((s) => s.name)).toEqual(['big']);
    expect(store.saved('p2').map((s) => s.name)).toEqual(['other']);
  });

  it('reports unreadable storage and starts empty instead of throwing', () => {
    const storage = memory();
    storage.data.set(HISTORY_KEY, '{not json');
    storage.data.set(SAVED_KEY, '{"p":[{"name":1}]}');
    const store = new FilterStore(storage);
    expect(store.history('t')).toEqual([]);
    expect(store.problem).toMatch(/filter-history could not be read/);
    expect(store.saved('p')).toEqual([]);
    store.remember('t', '/a = 1');
    expect(store.history('t')).toEqual(['/a = 1']);
  });
});
