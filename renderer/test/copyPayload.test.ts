import { describe, expect, it } from 'vitest';
import { describePayload } from '../src/lib/payload.js';
import { payloadAsJson } from '../src/subscriptions/copyPayload.js';

describe('copy as JSON', () => {
  it('copies JSON pretty, FIX as tag → value (repeated tags as arrays), text as a JSON string', () => {
    expect(JSON.parse(payloadAsJson(describePayload('{"a":1,"b":[2]}')))).toEqual({ a: 1, b: [2] });
    const fix = payloadAsJson(describePayload('8=FIX.4.2\u000155=IBM\u0001447=D\u0001447=P\u0001'));
    expect(JSON.parse(fix)).toEqual({ '8': 'FIX.4.2', '55': 'IBM', '447': ['D', 'P'] });
    expect(JSON.parse(payloadAsJson(describePayload('plain "text"')))).toBe('plain "text"');
    const hex = JSON.parse(payloadAsJson(describePayload('\u0000\u0001abc'))) as string;
    expect(hex).toMatch(/^00000000 {2}00 01 61 62 63/);
  });
});
