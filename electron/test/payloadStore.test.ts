import { describe, expect, it } from 'vitest';
import { PayloadStore } from '../main/services/payloadStore.js';

const bytes = (n: number, fill = 1): Uint8Array => new Uint8Array(n).fill(fill);

describe('whole payloads kept for the detail pane', () => {
  it('keeps copies per subscription, the newest first out of count and byte bounds', () => {
    const store = new PayloadStore(2, 100);
    const source = bytes(10, 7);
    store.keep('s1', 1, source);
    source.fill(0);
    expect(store.get('s1', 1)).toEqual(bytes(10, 7));
    store.keep('s1', 2, bytes(10));
    store.keep('s1', 3, bytes(10));
    expect(store.get('s1', 1)).toBeUndefined();
    expect(store.get('s1', 3)?.byteLength).toBe(10);
    store.keep('s1', 4, bytes(95));
    expect(store.get('s1', 3)).toBeUndefined();
    expect(store.get('s1', 4)?.byteLength).toBe(95);
    store.keep('s2', 1, bytes(101));
    expect(store.get('s2', 1)).toBeUndefined();
    store.drop('s1');
    expect(store.get('s1', 4)).toBeUndefined();
  });
});
