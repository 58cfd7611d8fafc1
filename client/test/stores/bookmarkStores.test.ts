import * as path from 'node:path';
import { FileBookmarkStore } from '../../src/stores/bookmark/fileBookmarkStore.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import { RingBookmarkStore } from '../../src/stores/bookmark/ringBookmarkStore.js';
import { describeBookmarkStore } from './bookmarkStoreSuite.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('bookmarks');

describeBookmarkStore('memory', { create: () => new MemoryBookmarkStore(), durability: 'none' });

let filePath = '';
describeBookmarkStore('file', {
  create: () => {
    filePath = path.join(tempDir(), 'bookmarks.log');
    return new FileBookmarkStore(filePath);
  },
  reopen: () => new FileBookmarkStore(filePath),
  durability: 'all',
});

let prunedPath = '';
describeBookmarkStore('file, pruning after every record', {
  create: () => {
    prunedPath = path.join(tempDir(), 'pruned.log');
    return new FileBookmarkStore(prunedPath, { autoPruneRecords: 1 });
  },
  reopen: () => new FileBookmarkStore(prunedPath, { autoPruneRecords: 1 }),
  durability: 'all',
});

let ringPath = '';
describeBookmarkStore('ring', {
  create: () => {
    ringPath = path.join(tempDir(), 'ring.bin');
    return new RingBookmarkStore(ringPath, { slotsPerSubscription: 3 });
  },
  reopen: () => new RingBookmarkStore(ringPath),
  durability: 'most-recent',
});
