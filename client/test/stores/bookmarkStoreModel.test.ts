import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileBookmarkStore } from '../../src/stores/bookmark/fileBookmarkStore.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import type { BookmarkStore } from '../../src/stores/bookmark/bookmarkStore.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('model');

const SUBS = ['a', 'b'];
const bookmark = (pub: number, seq: number): string => `${pub}|${seq}|`;

type Op =
  | { kind: 'log'; sub: number; pub: number; seq: number }
  | { kind: 'discard'; sub: number; index: number }
  | { kind: 'persisted'; sub: number; pub: number; seq: number }
  | { kind: 'start'; sub: number; value: string }
  | { kind: 'purge'; sub: number | undefined }
  | { kind: 'prune' }
  | { kind: 'reopen' };

const sub = fc.integer({ min: 0, max: SUBS.length - 1 });
const pub = fc.integer({ min: 1, max: 3 });
const seq = fc.integer({ min: 1, max: 30 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('log' as const), sub, pub, seq }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('discard' as const),
      sub,
      index: fc.integer({ min: 1, max: 20 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('persisted' as const), sub, pub, seq }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('start' as const),
      sub,
      value: fc.constantFrom('0', '0|1|', '20240101T000000Z', '1|3|,2|4|'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('purge' as const), sub: fc.option(sub, { nil: undefined }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'prune' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

function apply(store: BookmarkStore, o: Op): void {
  switch (o.kind) {
    case 'log':
      store.log({ subId: SUBS[o.sub] as string, bookmark: bookmark(o.pub, o.seq) });
      return;
    case 'discard':
      store.discard(SUBS[o.sub] as string, BigInt(o.index));
      return;
    case 'persisted':
      store.persisted(SUBS[o.sub] as string, bookmark(o.pub, o.seq));
      return;
    case 'start':
      store.log({ subId: SUBS[o.sub] as string, bookmark: o.value });
      return;
    case 'purge':
      store.purge(o.sub === undefined ? undefined : SUBS[o.sub]);
      return;
    default:
      return;
  }
}

function answers(store: BookmarkStore): unknown[] {
  const out: unknown[] = [];
  for (const subId of SUBS) {
    out.push(store.getMostRecent(subId), store.getOldestBookmarkSeq(subId));
    for (let p = 1; p <= 3; p++) {
      for (let s = 1; s <= 31; s++) out.push(store.isDiscarded({ subId, bookmark: bookmark(p, s) }));
    }
  }
  return out;
}

describe('file bookmark store against the memory model', () => {
  it('answers like the memory store after any sequence of operations, prunes and reopens', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const file = path.join(tempDir(), 'model.log');
        const model = new MemoryBookmarkStore();
        let store = new FileBookmarkStore(file);
        try {
          for (const o of ops) {
            if (o.kind === 'reopen') {
              store.close();
              store = new FileBookmarkStore(file);
              expect(store.recovery.problem).toBeNull();
            } else if (o.kind === 'prune') {
              store.prune();
            } else {
              apply(model, o);
              apply(store, o);
            }
            expect(answers(store)).toEqual(answers(model));
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
