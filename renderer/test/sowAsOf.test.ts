import { describe, expect, it } from 'vitest';
import { asOfBookmark, CURRENT_STATE } from '../src/sow/sowAsOf.js';
import { checkForm, emptyForm, formFromSettings, toSpec } from '../src/sow/sowForm.js';

describe('SOW as of', () => {
  it('the current state sends no bookmark', () => {
    expect(asOfBookmark(CURRENT_STATE)).toEqual({});
    expect(toSpec(emptyForm('orders'), 'c')).not.toHaveProperty('bookmark');
  });

  it('a bookmark is sent as the bookmark header; a malformed one is named', () => {
    expect(asOfBookmark({ ...CURRENT_STATE, asOf: 'bookmark', asOfBookmark: ' 123|45| ' })).toEqual({ bookmark: '123|45|' });
    const form = { ...emptyForm('orders'), asOf: 'bookmark' as const, asOfBookmark: 'yesterday' };
    expect(checkForm(form).asOfBookmark?.message).toBe('As of: "yesterday" is not a bookmark such as 12345|67|');
    expect(toSpec({ ...form, asOfBookmark: '9|1|' }, 'c')).toMatchObject({ bookmark: '9|1|' });
  });

  it('a date and time becomes an AMPS timestamp in UTC', () => {
    const form = { ...emptyForm('orders'), asOf: 'time' as const, asOfTime: '2026-03-04T05:06:07', asOfZone: 'utc' as const };
    expect(checkForm(form)).toEqual({});
    expect(toSpec(form, 'c')).toMatchObject({ bookmark: '20260304T050607Z' });
    expect(checkForm({ ...form, asOfTime: '' }).asOfTime?.message).toBe('As of: enter a date and time');
  });

  it('a saved form with an unknown as-of kind reads the current state', () => {
    const form = formFromSettings({ form: { topic: 'orders', asOf: 'tomorrow', asOfZone: 'mars' } });
    expect(form).toMatchObject({ asOf: 'current', asOfZone: 'local' });
  });
});
