import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/ipc/errors.js';
import { array, enumOf, nullable, number, object, oneOf, optional, string } from '../src/ipc/schemaLib.js';
import { LIMITS, REQUEST_SCHEMAS, parseRequest } from '../src/ipc/schemas.js';

const problem = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new Error('expected a ValidationError');
};

describe('schema library', () => {
  const person = object({
    name: string({ maxLength: 5, minLength: 1 }),
    age: optional(number({ integer: true, min: 0, max: 150 })),
    tags: optional(array(enumOf(['a', 'b'] as const), { maxLength: 2 })),
    nick: optional(nullable(string({ maxLength: 3 }))),
  });

  it('accepts valid values and copies only known keys', () => {
    const input = { name: 'Ann', age: 30, tags: ['a'], nick: null };
    const out = person.parse(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(person.parse({ name: 'Bo', age: undefined })).toEqual({ name: 'Bo' });
  });

  it('names the path and the problem', () => {
    expect(problem(() => person.parse({ name: 'toolong' }))).toBe('value.name: longer than 5 characters (7)');
    expect(problem(() => person.parse({ name: '' }))).toBe('value.name: must not be empty');
    expect(problem(() => person.parse({}))).toMatch(/^value\.name: missing/);
    expect(problem(() => person.parse({ name: 'a', age: 1.5 }))).toBe(
      'value.age: expected an integer, got 1.5',
    );
    expect(problem(() => person.parse({ name: 'a', age: -1 }))).toBe('value.age: must be >= 0 (got -1)');
    expect(problem(() => person.parse({ name: 'a', age: Number.NaN }))).toMatch(/finite number/);
    expect(problem(() => person.parse({ name: 'a', tags: ['a', 'c'] }))).toMatch(
      /^value\.tags\[1\]: expected one of 'a', 'b'/,
    );
    expect(problem(() => person.parse({ name: 'a', tags: ['a', 'a', 'b'] }))).toBe(
      'value.tags: more than 2 items (3)',
    );
    expect(problem(() => person.parse([]))).toBe('value: expected an object, got array');
    expect(problem(() => person.parse(null, 'payload'))).toBe('payload: expected an object, got null');
  });

  it('rejects unknown keys, including __proto__ from JSON', () => {
    expect(problem(() => person.parse({ name: 'a', admin: true }))).toMatch(/^value\.admin: unknown key/);
    expect(problem(() => person.parse(JSON.parse('{"name":"a","__proto__":{"x":1}}')))).toMatch(
      /__proto__: unknown key/,
    );
  });

  it('rejects objects that are not plain', () => {
    expect(problem(() => person.parse(new Date()))).toMatch(/expected an object/);
  });

  it('rejects any extra key (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['name', 'age', 'tags', 'nick'].includes(k)),
        fc.jsonValue(),
        (key, value) => {
          expect(() => person.parse({ name: 'a', [key]: value })).toThrow(ValidationError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('oneOf reports why every alternative failed', () => {
    const s = oneOf([object({ a: string({ maxLength: 1 }) }), object({ b: number() })]);
    expect(s.parse({ b: 2 })).toEqual({ b: 2 });
    expect(problem(() => s.parse({ c: 1 }))).toMatch(
      /^value: matches no alternative \(value\.c: unknown key.*; value\.c: unknown key/,
    );
  });
});

describe('request schemas', () => {
  it('accepts every request in its documented shape', () => {
    expect(parseRequest('getAppInfo', undefined)).toBeUndefined();
    expect(parseRequest('listProfiles', null)).toBeUndefined();
    expect(
      parseRequest('subscribe', {
        connectionId: 'conn-1',
        topic: 'orders',
        filter: '/qty > 10',
        mode: 'sow_and_subscribe',
        options: { batchSize: 100 },
      }),
    ).toMatchObject({ topic: 'orders', mode: 'sow_and_subscribe' });
    expect(parseRequest('openConnection', { profileId: 'local-sandbox' })).toEqual({
      profileId: 'local-sandbox',
    });
    expect(
      parseRequest('openConnection', { connectionString: 'tcp://h:9007/amps/json', password: 'x' }),
    ).toMatchObject({ password: 'x' });
    expect(
      parseRequest('saveProfile', {
        name: 'P',
        servers: ['tcp://h:1/amps/json'],
        password: null,
      }),
    ).toMatchObject({ password: null });
    expect(
      parseRequest('publish', { connectionId: 'c', topic: 't', data: '{}', options: { delta: true } }),
    ).toMatchObject({ data: '{}' });
  });

  it('rejects bad payloads with the path under payload', () => {
    expect(problem(() => parseRequest('getAppInfo', { x: 1 }))).toBe(
      'payload: expected no payload, got object',
    );
    expect(problem(() => parseRequest('subscribe', { connectionId: 'c', topic: 't', mode: 'sow' }))).toMatch(
      /^payload\.mode: expected one of 'subscribe', 'delta_subscribe', 'sow_and_subscribe', 'bookmark'/,
    );
    expect(
      problem(() => parseRequest('subscribe', { connectionId: 'c', topic: '', mode: 'subscribe' })),
    ).toBe('payload.topic: must not be empty');
    expect(problem(() => parseRequest('unsubscribe', { subscriptionId: '../etc' }))).toMatch(
      /payload\.subscriptionId: must be an identifier/,
    );
    expect(
      problem(() =>
        parseRequest('subscribe', {
          connectionId: 'c',
          topic: 't'.repeat(LIMITS.topic + 1),
          mode: 'subscribe',
        }),
      ),
    ).toMatch(/payload\.topic: longer than 1024/);
    expect(
      problem(() =>
        parseRequest('subscribe', { connectionId: 'c', topic: 't', mode: 'subscribe', options: { topN: 0 } }),
      ),
    ).toBe('payload.options.topN: must be >= 1 (got 0)');
    expect(problem(() => parseRequest('deleteProfile', 'p1'))).toBe(
      'payload: expected an object, got string',
    );
  });

  it('covers every request with a schema object', () => {
    for (const schema of Object.values(REQUEST_SCHEMAS)) expect(typeof schema.parse).toBe('function');
  });
});
