import { describe, expect, it } from 'vitest';
import { checkForm, emptyForm, formFromSettings, toSpec } from '../src/sow/sowForm.js';

describe('SOW query form', () => {
  it('names each field that is wrong, with the filter error position', () => {
    const problems = checkForm({
      ...emptyForm(),
      filter: '/qty >',
      topN: 'ten',
      batchSize: '0',
      select: '/id, name',
      orderBy: '/qty SIDEWAYS',
      conflation: 'soon',
    });
    expect(Object.keys(problems).sort()).toEqual([
      'batchSize',
      'conflation',
      'filter',
      'orderBy',
      'select',
      'topN',
      'topic',
    ]);
    expect(problems.topic?.message).toBe('Enter a topic');
    expect(problems.filter?.position).toBeTypeOf('number');
    expect(problems.select?.message).toContain('"name" is not a field path');
    expect(problems.orderBy?.message).toContain('"/qty SIDEWAYS"');
  });

  it('builds the spec main places: live options only in live modes, no_empties only for deltas', () => {
    const form = {
      ...emptyForm('orders'),
      filter: ' /qty > 5 ',
      orderBy: '/qty DESC, /id',
      topN: '10',
      skipN: '5',
      batchSize: '500',
      select: '/id,/qty',
      conflation: '250ms',
    };
    expect(checkForm(form)).toEqual({});
    expect(toSpec(form, 'conn-1')).toEqual({
      connectionId: 'conn-1',
      topic: 'orders',
      mode: 'live',
      filter: '/qty > 5',
      orderBy: '/qty DESC, /id',
      topN: 10,
      skipN: 5,
      batchSize: 500,
      select: '/id,/qty',
      oof: true,
      conflation: '250ms',
    });
    expect(toSpec({ ...form, mode: 'query', noEmpties: true }, 'c')).not.toHaveProperty('oof');
    expect(toSpec({ ...form, mode: 'live_delta', noEmpties: true }, 'c')).toMatchObject({ noEmpties: true });
  });

  it('restores a saved form, ignoring members of the wrong type, and takes a topic from the Topics panel', () => {
    expect(formFromSettings({ topic: 'ticks' }).topic).toBe('ticks');
    const f = formFromSettings({ form: { topic: 'orders', topN: 5, mode: 'sideways', oof: false } });
    expect(f).toMatchObject({ topic: 'orders', topN: '', mode: 'live', oof: false });
  });
});
