import { describe, expect, it } from 'vitest';
import { buildAggregation, resultField, rolesFrom } from '../src/sow/sowAggregation.js';
import type { ColumnRole } from '../src/sow/sowAggregation.js';
import { checkForm, emptyForm, toSpec } from '../src/sow/sowForm.js';

const roles = (entries: [string, ColumnRole][]) => new Map(entries);

describe('aggregation from the grid columns', () => {
  it('names result fields after the function and the path', () => {
    expect(resultField('/customer/qty', 'SUM')).toBe('/sum_customer_qty');
  });

  it('builds grouping and projection in column order; nothing chosen = no aggregation', () => {
    expect(buildAggregation(new Map())).toBeUndefined();
    expect(
      buildAggregation(
        roles([
          ['/sym', { kind: 'group' }],
          ['/qty', { kind: 'aggregate', fn: 'SUM' }],
          ['/px', { kind: 'aggregate', fn: 'AVG' }],
          ['/desk', { kind: 'none' }],
        ]),
      ),
    ).toEqual({ grouping: '/sym', projection: '/sym AS /sym,SUM(/qty) AS /sum_qty,AVG(/px) AS /avg_px' });
  });

  it('needs a field to group by', () => {
    expect(buildAggregation(roles([['/qty', { kind: 'aggregate', fn: 'MAX' }]]))).toEqual({
      problem: 'Aggregation: choose at least one column to group by',
    });
  });

  it('reads its own lists back into roles', () => {
    const built = buildAggregation(
      roles([
        ['/sym', { kind: 'group' }],
        ['/desk', { kind: 'group' }],
        ['/qty', { kind: 'aggregate', fn: 'COUNT_DISTINCT' }],
      ]),
    );
    if (built === undefined || 'problem' in built) throw new Error('expected lists');
    expect([...rolesFrom(built)]).toEqual([
      ['/sym', { kind: 'group' }],
      ['/desk', { kind: 'group' }],
      ['/qty', { kind: 'aggregate', fn: 'COUNT_DISTINCT' }],
    ]);
  });

  it('the form sends both lists, and names the one missing', () => {
    const form = { ...emptyForm('orders'), grouping: '/sym', projection: '/sym AS /sym,SUM(/qty) AS /t' };
    expect(toSpec(form, 'c')).toMatchObject({ grouping: '/sym', projection: '/sym AS /sym,SUM(/qty) AS /t' });
    expect(checkForm({ ...form, projection: ' ' }).projection?.message).toMatch(/needs both/);
    expect(toSpec(emptyForm('orders'), 'c')).not.toHaveProperty('grouping');
  });
});
