import { describe, expect, it } from 'vitest';
import { FlushBuffer, FlushPacer } from '../src/sow/gridFlush.js';
import type { SowRow } from '../src/sow/sowGridModel.js';

const row = (key: string, price: number): SowRow => ({ key, cells: { '/id': Number(key), '/price': price } });

describe('FlushBuffer', () => {
  it('keeps the latest state of each key and counts what was folded', () => {
    const b = new FlushBuffer();
    b.upsert(row('1', 10));
    b.upsert(row('2', 20), ['/price']);
    b.upsert(row('1', 11), ['/price']);
    b.upsert(row('1', 12), ['/price']);
    expect(b.size).toBe(2);
    const take = b.take();
    expect(take.upserts.map((r) => [r.key, r.cells['/price']])).toEqual([
      ['1', 12],
      ['2', 20],
    ]);
    expect(take.folded).toBe(2);
    expect(take.removes).toEqual([]);
    expect(b.size).toBe(0);
    expect(b.take().folded).toBe(0);
  });

  it('merges the changed fields of folded updates for the flash', () => {
    const b = new FlushBuffer();
    b.upsert(row('1', 10), ['/price']);
    b.upsert(row('1', 11), ['/qty']);
    expect(b.take().changed.get('1')).toEqual(['/price', '/qty']);
    b.upsert(row('1', 12), ['/price']);
    b.upsert(row('1', 13));
    expect(b.take().changed.get('1')).toEqual(['/price']);
    b.upsert(row('3', 1));
    expect(b.take().changed.has('3')).toBe(false);
  });

  it('a remove after an upsert wins, and an upsert after a remove brings the row back', () => {
    const b = new FlushBuffer();
    b.upsert(row('1', 10));
    b.remove(row('1', 10));
    b.remove(row('2', 5));
    b.upsert(row('2', 6), ['/price']);
    const take = b.take();
    expect(take.removes.map((r) => r.key)).toEqual(['1']);
    expect(take.upserts.map((r) => r.key)).toEqual(['2']);
    expect(take.folded).toBe(2);
  });

  it('clear forgets everything pending', () => {
    const b = new FlushBuffer();
    b.upsert(row('1', 10));
    b.clear();
    expect(b.take()).toEqual({ upserts: [], removes: [], changed: new Map(), folded: 0 });
  });
});

describe('FlushPacer', () => {
  it('waits the shortest time while refreshes are cheap', () => {
    const p = new FlushPacer({ minMs: 50, maxMs: 1000, share: 0.1 });
    expect(p.delayMs).toBe(50);
    p.cost(2);
    expect(p.delayMs).toBe(50);
  });

  it('spaces costly refreshes so they take about their share of the time, up to the longest wait', () => {
    const p = new FlushPacer({ minMs: 50, maxMs: 1000, share: 0.1 });
    p.cost(40);
    expect(p.delayMs).toBeCloseTo(360);
    p.cost(40);
    expect(p.delayMs).toBeCloseTo(360);
    p.cost(400);
    expect(p.delayMs).toBe(1000);
  });

  it('smooths one slow refresh between cheap ones', () => {
    const p = new FlushPacer({ minMs: 10, maxMs: 5000, share: 0.5 });
    p.cost(10);
    p.cost(100);
    expect(p.delayMs).toBeCloseTo(55);
    p.cost(10);
    expect(p.delayMs).toBeCloseTo(32.5);
  });
});
