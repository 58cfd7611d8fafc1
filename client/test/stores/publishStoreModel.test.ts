import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilePublishStore } from '../../src/stores/publish/filePublishStore.js';
import { HybridPublishStore } from '../../src/stores/publish/hybridPublishStore.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import type { PublishStore, StoredPublish } from '../../src/stores/publish/publishStore.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('pubmodel');
const now = (): number => 5;

type Op =
  | { kind: 'store'; size: number }
  | { kind: 'discard'; back: number }
  | { kind: 'prune' }
  | { kind: 'reopen' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('store' as const), size: fc.integer({ min: 0, max: 40 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('discard' as const), back: fc.integer({ min: -2, max: 6 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'prune' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

function state(store: PublishStore): unknown {
  const held: Array<[string, string]> = [];
  store.replay((m: StoredPublish) =>
    held.push([m.sequence.toString(), Buffer.from(m.payload).toString('hex')]),
  );
  return {
    held,
    count: store.unpersistedCount(),
    lowest: store.getLowestUnpersisted(),
    persisted: store.getLastPersisted(),
  };
}

function run(open: (file: string) => PublishStore & { prune?(): void }, ops: Op[]): void {
  const file = path.join(tempDir(), 'model.log');
  const model = new MemoryPublishStore({ now });
  let store = open(file);
  let counter = 0;
  try {
    for (const o of ops) {
      if (o.kind === 'store') {
        const message = {
          header: { topic: 't', commandId: String(counter) },
          payload: Buffer.alloc(o.size, counter++ % 256),
        };
        expect(store.store(message)).toBe(model.store(message));
      } else if (o.kind === 'discard') {
        const target = (model.getLowestUnpersisted() ?? model.getLastPersisted()) + BigInt(o.back);
        model.discardUpTo(target);
        store.discardUpTo(target);
      } else if (o.kind === 'prune') {
        store.prune?.();
      } else {
        store.close();
        store = open(file);
      }
      expect(state(store)).toEqual(state(model));
    }
  } finally {
    store.close();
  }
}

describe('publish stores against the memory model', () => {
  it('a file store matches the memory store through discards, prunes and reopens', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) =>
        run((file) => new FilePublishStore(file, { now }), ops),
      ),
      { numRuns: 40 },
    );
  });

  it('a hybrid store matches the memory store while it stays open', () => {
    fc.assert(
      fc.property(
        fc.array(
          op.filter((o) => o.kind !== 'reopen' && o.kind !== 'prune'),
          { maxLength: 50 },
        ),
        fc.integer({ min: 0, max: 4 }),
        (ops, cap) => run((file) => new HybridPublishStore(file, { now, maxMemoryMessages: cap }), ops),
      ),
      { numRuns: 40 },
    );
  });
});
