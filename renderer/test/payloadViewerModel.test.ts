import { describe, expect, it } from 'vitest';
import type { PayloadRowsRequest, PayloadTextRequest } from '../../common/src/dto/subscriptions.js';
import { PAGE_ROWS, PayloadViewerModel } from '../src/subscriptions/payloadViewerModel.js';

/** A main side holding `rows` rows of text "row N" (line N+1) and a text of `chars` characters. */
function fakeApi(rowCount: number, text = 'x'.repeat(2_500_000)) {
  const asked: PayloadRowsRequest[] = [];
  const api = {
    asked,
    getPayloadRows: (r: PayloadRowsRequest) => {
      asked.push(r);
      const texts: string[] = [];
      const lineNumbers: number[] = [];
      for (let n = r.first; n < Math.min(rowCount, r.first + r.count); n++) {
        texts.push(`row ${n}`);
        lineNumbers.push(n + 1);
      }
      return Promise.resolve({ size: 123, chars: text.length, lineCount: rowCount, rowCount, rowChars: 200, first: r.first, texts, lineNumbers });
    },
    getPayloadText: (r: PayloadTextRequest) => {
      const end = Math.min(text.length, r.offset + r.length);
      return Promise.resolve({ text: text.slice(r.offset, end), offset: r.offset, end, chars: text.length });
    },
  };
  return api;
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('payload viewer model', () => {
  it('opens with the totals and the first page from one request', async () => {
    const api = fakeApi(50_000);
    let t = 0;
    const model = new PayloadViewerModel(api, 's1', 7, () => (t += 5));
    await model.open();
    expect(model.state).toMatchObject({ status: 'open', rowCount: 50_000, size: 123, openMs: 5 });
    expect(api.asked).toEqual([{ subscriptionId: 's1', index: 7, first: 0, count: PAGE_ROWS }]);
    expect(model.row(0)).toEqual({ text: 'row 0', line: 1 });
    expect(model.row(PAGE_ROWS)).toBeUndefined();
  });

  it('fetches the pages of the rows on screen once, and the last row is reachable', async () => {
    const api = fakeApi(50_000);
    const model = new PayloadViewerModel(api, 's1', 7);
    await model.open();
    model.show(49_950, 49_999);
    model.show(49_950, 49_999);
    await settle();
    expect(api.asked.map((r) => r.first)).toEqual([0, 49_900]);
    expect(model.row(49_999)).toEqual({ text: 'row 49999', line: 50_000 });
    expect(model.state.version).toBe(2);
  });

  it('copies the whole text in chunks', async () => {
    const text = 'abc'.repeat(1_000_000);
    const model = new PayloadViewerModel(fakeApi(1, text), 's1', 7);
    await model.open();
    const copied = await model.wholeText();
    expect(copied).toBe(text);
    expect(model.state.copying).toBeUndefined();
  });

  it('says why a payload cannot be opened', async () => {
    const api = {
      ...fakeApi(1),
      getPayloadRows: () => Promise.reject(new Error('message 7 of subscription s1 is no longer kept whole')),
    };
    const model = new PayloadViewerModel(api, 's1', 7);
    await model.open();
    expect(model.state).toMatchObject({ status: 'failed', problem: 'message 7 of subscription s1 is no longer kept whole' });
  });
});
