import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../client/src/expression/index.js';
import { prefilterOf } from '../src/subscriptions/searchPrefilter.js';

const payloads = [
  '{"sym":"IBM","qty":100}',
  '{"sym":"MSFT","qty":5}',
  '{"sym":"IBM","qty":"995"}',
  '{"s\\u0079m":"IBM","qty":999}',
  '{"sym":"\\u0049BM","qty":999}',
  '{"order":{"sym":"IBM","qty":[1,2,995]}}',
  '{"legs":[{"sym":"ORCL"},{"sym":"IBM"}],"qty":991}',
  '{"sym":"IBM"}',
  '{"qty":999,"flag":true,"px":1.5e3}',
  '{"sym":"5","qty":5.0}',
  '{"sym":null,"qty":null}',
  '{"sym":"","qty":0}',
  '{"note":"a \\"quoted\\" IBM","qty":1000}',
];

const expressions = [
  "/qty > 990 AND /sym = 'IBM'",
  "/sym = 'IBM'",
  "'IBM' = /sym",
  "/sym != 'IBM'",
  "/sym <> 'IBM' OR /qty = 5",
  "/sym IN ('IBM', 'ORCL')",
  "/sym NOT IN ('IBM')",
  "/sym = '5'",
  '/qty = 5',
  '/qty BETWEEN 990 AND 1000',
  "/sym LIKE 'I.M'",
  "/sym NOT LIKE 'I.M'",
  '/sym IS NULL',
  "NOT /sym = 'IBM'",
  "/order/sym = 'IBM' AND /order/qty > 990",
  "/legs/sym = 'IBM'",
  "(/sym = 'IBM' OR /sym = 'MSFT') AND /qty >= 5",
  '/flag = TRUE',
  '/px = 1500',
  "/sym BEGINS WITH ('IB')",
  "UPPER(/sym) = 'IBM'",
  "/qty > 990 OR /note LIKE 'quoted'",
];

describe('search prefilter', () => {
  it('never rules out a payload the full evaluation matches', () => {
    let ruledOut = 0;
    for (const expression of expressions) {
      const filter = compileFilter(expression);
      const prefilter = prefilterOf(expression);
      for (const data of payloads) {
        const matches = filter(JSON.parse(data));
        const kept = prefilter === undefined || prefilter(data);
        if (matches) expect(kept, `${expression} on ${data}`).toBe(true);
        if (!kept) ruledOut++;
      }
    }
    // And it does rule payloads out (the point of it).
    expect(ruledOut).toBeGreaterThan(40);
  });

  it('rules out payloads missing a needed value or key, and keeps ones with escapes', () => {
    const p = prefilterOf("/qty > 990 AND /sym = 'IBM'");
    expect(p?.('{"sym":"MSFT","qty":999}')).toBe(false);
    expect(p?.('{"sym":"IBM","size":999}')).toBe(false);
    expect(p?.('{"sym":"IBM","qty":1}')).toBe(true);
    expect(p?.('{"sym":"\\u0049BM","qty":999}')).toBe(true);
  });

  it('derives nothing where a missing field could still match', () => {
    expect(prefilterOf('/sym IS NULL')).toBeUndefined();
    expect(prefilterOf("NOT /sym = 'IBM'")).toBeUndefined();
    expect(prefilterOf("/sym NOT IN ('IBM')")).toBeUndefined();
    expect(prefilterOf("/sym = 'IBM' OR /qty IS NULL")).toBeUndefined();
  });

  it('does not ask for the text of a numeric string: it compares numerically', () => {
    const p = prefilterOf("/qty = '5'");
    expect(p?.('{"qty":5.0}')).toBe(true);
    expect(compileFilter("/qty = '5'")({ qty: 5.0 })).toBe(true);
  });
});
