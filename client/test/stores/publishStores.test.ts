import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePublishStore } from '../../src/stores/publish/filePublishStore.js';
import { HybridPublishStore } from '../../src/stores/publish/hybridPublishStore.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import { describePublishStore } from './publishStoreSuite.js';
import { useTempDir } from './tempDir.js';
import * as fs from 'node:fs';

const tempDir = useTempDir('publish');

describePublishStore('memory', { create: (options) => new MemoryPublishStore(options) });

let filePath = '';
describePublishStore('file', {
  create: (options) => {
    filePath = path.join(tempDir(), 'publish.log');
    return new FilePublishStore(filePath, options);
  },
  reopen: (options) => new FilePublishStore(filePath, options),
});

let prunedPath = '';
describePublishStore('file, pruning at every discard', {
  create: (options) => {
    prunedPath = path.join(tempDir(), 'pruned.log');
    return new FilePublishStore(prunedPath, { ...options, autoPruneRecords: 1 });
  },
  reopen: (options) => new FilePublishStore(prunedPath, { ...options, autoPruneRecords: 1 }),
});

describePublishStore('hybrid (2 in memory)', {
  create: (options) =>
    new HybridPublishStore(path.join(tempDir(), 'spill.log'), { ...options, maxMemoryMessages: 2 }),
});

let spillPath = '';
describePublishStore('hybrid (everything spilled)', {
  create: (options) => {
    spillPath = path.join(tempDir(), 'spill0.log');
    return new HybridPublishStore(spillPath, { ...options, maxMemoryMessages: 0 });
  },
  reopen: (options) => new HybridPublishStore(spillPath, { ...options, maxMemoryMessages: 0 }),
});

describe('hybrid publish store spilling', () => {
  it('keeps the oldest in memory, spills the rest, and returns to memory once the file drains', () => {
    const file = path.join(tempDir(), 'h.log');
    const store = new HybridPublishStore(file, { maxMemoryMessages: 2, now: () => 1 });
    const seqs = [1, 2, 3, 4].map((i) =>
      store.store({ header: { topic: 't' }, payload: Buffer.from(`m${i}`) }),
    );
    expect(store.inMemoryCount).toBe(2);
    expect(store.unpersistedCount()).toBe(4);
    store.discardUpTo(seqs[0] as bigint);
    store.store({ header: { topic: 't' }, payload: Buffer.from('m5') });
    expect(store.inMemoryCount).toBe(1);
    const order: string[] = [];
    store.replay((m) => order.push(Buffer.from(m.payload).toString()));
    expect(order).toEqual(['m2', 'm3', 'm4', 'm5']);
    store.discardUpTo(store.lastSequence());
    store.store({ header: { topic: 't' }, payload: Buffer.from('m6') });
    expect(store.inMemoryCount).toBe(1);
    store.close();
    // only the spilled part survives a restart; sequences continue above what the file saw
    const again = new HybridPublishStore(file, { maxMemoryMessages: 2, now: () => 1 });
    expect(again.unpersistedCount()).toBe(0);
    expect(again.store({ header: { topic: 't' } })).toBeGreaterThan(seqs[3] as bigint);
    again.close();
  });

  it('file store prunes itself once discarded records pile up', () => {
    const file = path.join(tempDir(), 'auto.log');
    const store = new FilePublishStore(file, { autoPruneRecords: 50, now: () => 1 });
    for (let i = 0; i < 500; i++) {
      const seq = store.store({ header: { topic: 't' }, payload: Buffer.alloc(100) });
      if (i % 2 === 1) store.discardUpTo(seq - 1n);
    }
    expect(fs.statSync(file).size).toBeLessThan(60 * 200);
    expect(store.unpersistedCount()).toBe(1);
    store.close();
  });
});
