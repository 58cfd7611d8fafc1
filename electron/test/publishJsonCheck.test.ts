/** The bulk path's JSON check: its fast path takes only what JSON.parse takes; the rest goes to JSON.parse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAT_OBJECT, jsonProblem } from '../main/services/publish/jsonCheck.js';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const scalar = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
const flat = fc.dictionary(fc.string(), scalar).map((o) => JSON.stringify(o));

/** Text near a flat object: valid ones cut, spliced and sprinkled with JSON's own characters. */
const nearFlat = fc.oneof(
  flat,
  flat.map((t) => ` \t${t}\r\n`),
  fc.json(),
  fc.tuple(flat, fc.nat(), fc.nat()).map(([t, a, b]) => t.slice(Math.min(a, b) % (t.length + 1), Math.max(a, b))),
  fc
    .tuple(flat, fc.nat(), fc.constantFrom(...'{}[]",:\\ -+.eE0a\n\u0001\u00a0'.split('')))
    .map(([t, at, c]) => t.slice(0, at % (t.length + 1)) + c + t.slice(at % (t.length + 1))),
  fc.tuple(flat, flat).map(([a, b]) => `${a},${b}`),
);

describe('the JSON check of bulk records', () => {
  it('its fast path takes only JSON that JSON.parse takes, and every flat object', () => {
    fc.assert(
      fc.property(nearFlat, (text) => {
        if (FLAT_OBJECT.test(text)) expect(parses(text)).toBe(true);
        expect(jsonProblem(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(flat, (text) => FLAT_OBJECT.test(text)));
  });

  it('refuses the near misses JSON.parse refuses, with its message', () => {
    for (const bad of ['{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":+1}', '{"a":1,}', '{a:1}', "{'a':1}", '{"\\x":1}', '{"a":"\u0001"}', '{"a":1}}', '{"a":tru}', '{"a" 1}', '{"a":1}\u00a0'])
      expect(jsonProblem(bad), bad).toMatch(/JSON|Unexpected|token|position/i);
    expect(jsonProblem('{"a":{"b":[1,{}]}}')).toBeUndefined();
    expect(jsonProblem('[1,2]')).toBeUndefined();
  });
});
