import { describe, expect, it } from 'vitest';
import { TESTIDS, byTestId } from '../src/lib/testids.js';

describe('TESTIDS', () => {
  it('holds unique, selector-safe ids', () => {
    const values = Object.values(TESTIDS).flatMap((group) => Object.values(group));
    expect(new Set(values).size).toBe(values.length);
    for (const id of values) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(byTestId(TESTIDS.connection.input)).toBe('[data-testid="connection-string-input"]');
  });
});
