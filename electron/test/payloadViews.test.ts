import { describe, expect, it } from 'vitest';
import { PayloadRowIndex, PayloadViews, ROW_CHARS, type PayloadSource } from '../main/services/payloadViews.js';

function source(payloads: Map<number, string>, running = new Set(['s1'])): PayloadSource & { loads: number } {
  const src = {
    loads: 0,
    messagePayload(subscriptionId: string, ownerId: string, index: number) {
      if (ownerId !== 'c1' || !running.has(subscriptionId)) throw new Error(`subscription ${subscriptionId} is not yours`);
      const data = payloads.get(index);
      if (data === undefined) throw new Error(`message ${index} is no longer kept whole`);
      src.loads++;
      return { data, size: new TextEncoder().encode(data).length };
    },
    isRunning: (subscriptionId: string, ownerId: string) => ownerId === 'c1' && running.has(subscriptionId),
  };
  return src;
}

describe('payload rows', () => {
  it('breaks lines into rows, long lines over several, and every character is in a row', () => {
    const long = 'a'.repeat(ROW_CHARS * 2 + 5);
    const text = `first\r\n${long}\n\nlast`;
    const index = new PayloadRowIndex(text, text.length);
    expect(index.lineCount).toBe(4);
    expect(index.rowCount).toBe(1 + 3 + 1 + 1);
    const rows = Array.from({ length: index.rowCount }, (_, r) => [index.rowText(r), index.lineOf(r)]);
    expect(rows).toEqual([
      ['first', 1],
      ['a'.repeat(ROW_CHARS), 2],
      ['a'.repeat(ROW_CHARS), 0],
      ['aaaaa', 0],
      ['', 3],
      ['last', 4],
    ]);
  });

  it('never splits a surrogate pair across rows', () => {
    const text = `${'x'.repeat(ROW_CHARS - 1)}😀tail`;
    const index = new PayloadRowIndex(text, 0);
    expect(index.rowText(0)).toBe('x'.repeat(ROW_CHARS - 1));
    expect(index.rowText(1)).toBe('😀tail');
  });

  it('serves pages of rows with totals, and text spans that rebuild the whole payload', () => {
    const big = JSON.stringify({ note: 'x'.repeat(1_000_000), end: 'THE-END' });
    const views = new PayloadViews(source(new Map([[7, big]])));
    const head = views.rows({ subscriptionId: 's1', index: 7, first: 0, count: 3 }, 'c1');
    expect(head).toMatchObject({ size: big.length, chars: big.length, lineCount: 1, first: 0, rowChars: ROW_CHARS });
    expect(head.rowCount).toBe(Math.ceil(big.length / ROW_CHARS));
    expect(head.texts[0]?.startsWith('{"note":"xxx')).toBe(true);
    expect(head.lineNumbers).toEqual([1, 0, 0]);
    const tail = views.rows({ subscriptionId: 's1', index: 7, first: head.rowCount - 1, count: 50 }, 'c1');
    expect(tail.texts).toHaveLength(1);
    expect(tail.texts[0]?.endsWith('"end":"THE-END"}')).toBe(true);
    let whole = '';
    for (let offset = 0; offset < big.length; ) {
      const span = views.text({ subscriptionId: 's1', index: 7, offset, length: 300_000 }, 'c1');
      whole += span.text;
      offset = span.end;
    }
    expect(whole).toBe(big);
  });

  it('decodes a payload once while it is open, and refuses one not kept or not the caller', () => {
    const src = source(new Map([[1, 'a\nb']]));
    const views = new PayloadViews(src);
    views.rows({ subscriptionId: 's1', index: 1, first: 0, count: 10 }, 'c1');
    views.rows({ subscriptionId: 's1', index: 1, first: 1, count: 10 }, 'c1');
    expect(src.loads).toBe(1);
    expect(() => views.rows({ subscriptionId: 's1', index: 1, first: 0, count: 1 }, 'c2')).toThrow(/not yours/);
    expect(() => views.rows({ subscriptionId: 's1', index: 2, first: 0, count: 1 }, 'c1')).toThrow(/no longer kept/);
  });

  it('forgets an opened payload once its subscription ended', () => {
    const running = new Set(['s1']);
    const views = new PayloadViews(source(new Map([[1, 'abc']]), running));
    expect(views.rows({ subscriptionId: 's1', index: 1, first: 0, count: 1 }, 'c1').texts).toEqual(['abc']);
    running.delete('s1');
    expect(() => views.rows({ subscriptionId: 's1', index: 1, first: 0, count: 1 }, 'c1')).toThrow(/not yours/);
  });
});
