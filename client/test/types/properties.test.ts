import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBFlatFields, encodeBFlatFields } from '../../src/types/bflat.js';
import type { BFlatField, BFlatScalar, BFlatType } from '../../src/types/bflat.js';
import { BsonBinary, decodeBson, encodeBson } from '../../src/types/bson.js';
import { CompositeMessageBuilder, CompositeMessageParser } from '../../src/types/composite.js';
import { FixBuilder, FixShredder } from '../../src/types/fix.js';
import { decodePayload } from '../../src/types/index.js';
import { decodeJson, encodeJson, parseJsonTree } from '../../src/types/json.js';
import { decodeMsgPack, encodeMsgPack, MsgPackExtension, MsgPackTimestamp } from '../../src/types/msgpack.js';
import { NvfixBuilder, NvfixShredder } from '../../src/types/nvfix.js';
import { PayloadError } from '../../src/types/payloadError.js';
import { parseXml } from '../../src/types/xml.js';
import { enc } from './helpers.js';

const RUNS = { numRuns: Number(process.env.TYPES_FC_RUNS ?? 300) };

/** Runs `decode`; anything thrown must be a PayloadError of `format`. */
function onlyOwnErrors(format: string, decode: (bytes: Uint8Array) => unknown): (bytes: Uint8Array) => void {
  return (bytes) => {
    try {
      decode(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(PayloadError);
      expect((err as PayloadError).format).toBe(format);
      const pos = (err as PayloadError).position;
      if (pos !== undefined) expect(pos).toBeLessThanOrEqual(bytes.length);
    }
  };
}

/** Random bytes, plus valid encodings with bytes flipped, cut short or extended. */
function fuzz(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const mutated = fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.nat(),
      fc.boolean(),
    )
    .map(([bytes, flips, cut, shorten]) => {
      const out = bytes.slice();
      for (const [at, b] of flips) if (out.length > 0) out[at % out.length] = b;
      return shorten && out.length > 0 ? out.subarray(0, cut % out.length) : out;
    });
  return fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated);
}

function fromAlphabet(chars: string): fc.Arbitrary<Uint8Array> {
  return fc.array(fc.constantFrom(...chars.split('')), { maxLength: 60 }).map((a) => enc(a.join('')));
}

const text = fc.string({ unit: 'binary', maxLength: 12 });
const safeInt = fc.maxSafeInteger();
const unsafeInt64 = fc.oneof(
  fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: (1n << 64n) - 1n }),
  fc.bigInt({ min: -(1n << 63n), max: BigInt(Number.MIN_SAFE_INTEGER) - 1n }),
);

const msgpackValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    safeInt,
    fc.double(),
    unsafeInt64,
    text,
    fc.uint8Array({ maxLength: 8 }),
    fc
      .tuple(
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.integer({ min: 0, max: 999_999_999 }),
      )
      .map(([s, ns]) => new MsgPackTimestamp(s, ns)),
    fc
      .tuple(fc.integer({ min: 0, max: 127 }), fc.uint8Array({ maxLength: 20 }))
      .map(([t, d]) => new MsgPackExtension(t, d)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.integer(), tie('value')), { minLength: 1, maxLength: 3, selector: ([k]) => k })
      .map((entries) => new Map<unknown, unknown>(entries)),
  ),
})).value;

const bsonValue = fc.letrec<{ value: unknown; doc: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    safeInt,
    fc.double(),
    fc.oneof(
      fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: (1n << 63n) - 1n }),
      fc.bigInt({ min: -(1n << 63n), max: BigInt(Number.MIN_SAFE_INTEGER) - 1n }),
    ),
    text,
    fc.date({ noInvalidDate: true }),
    fc.uint8Array({ maxLength: 8 }),
    fc
      .tuple(fc.integer({ min: 1, max: 255 }), fc.uint8Array({ maxLength: 8 }))
      .map(([s, d]) => new BsonBinary(s, d)),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('doc'),
  ),
  doc: fc.dictionary(
    text.filter((k) => !k.includes('\u0000')),
    tie('value'),
    { maxKeys: 4 },
  ) as fc.Arbitrary<Record<string, unknown>>,
}));

const bflatScalar: Record<BFlatType, fc.Arbitrary<BFlatScalar>> = {
  null: fc.constant(null),
  string: text,
  binary: fc.uint8Array({ maxLength: 8 }),
  int8: fc.integer({ min: -128, max: 127 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  int64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  double: fc.double(),
  datetime: fc.date({ noInvalidDate: true }),
  leb128: fc.bigInt({ min: -(1n << 127n), max: (1n << 127n) - 1n }),
};

const bflatField: fc.Arbitrary<BFlatField> = fc
  .tuple(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
    fc.constantFrom(...(Object.keys(bflatScalar) as BFlatType[])),
    fc.boolean(),
  )
  .chain(([tag, type, array]) =>
    (array ? fc.array(bflatScalar[type], { maxLength: 4 }) : bflatScalar[type]).map((value): BFlatField => ({
      tag,
      type,
      array,
      value,
    })),
  );

describe('random and mutated bytes raise only the codec’s own PayloadError', () => {
  it('msgpack', () => {
    fc.assert(
      fc.property(fuzz(msgpackValue.map((v) => encodeMsgPack(v))), onlyOwnErrors('msgpack', decodeMsgPack)),
      RUNS,
    );
  });
  it('bson', () => {
    fc.assert(
      fc.property(fuzz(bsonValue.doc.map((d) => encodeBson(d))), onlyOwnErrors('bson', decodeBson)),
      RUNS,
    );
  });
  it('bflat', () => {
    const valid = fc.array(bflatField, { maxLength: 4 }).map((f) => encodeBFlatFields(f));
    fc.assert(fc.property(fuzz(valid), onlyOwnErrors('bflat', decodeBFlatFields)), RUNS);
  });
  it('composite', () => {
    const parser = new CompositeMessageParser();
    const valid = fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 4 }).map((parts) => {
      const b = new CompositeMessageBuilder();
      for (const p of parts) b.append(p);
      return b.getData();
    });
    fc.assert(
      fc.property(
        fuzz(valid),
        onlyOwnErrors('composite', (b) => parser.parse(b)),
      ),
      RUNS,
    );
  });
  it('json', () => {
    const valid = fc.oneof(
      fromAlphabet('{}[]",:0123456789eE.-+ truefalsn\\u\t'),
      fc.jsonValue().map((v) => enc(JSON.stringify(v))),
    );
    fc.assert(fc.property(fuzz(valid), onlyOwnErrors('json', parseJsonTree)), RUNS);
  });
  it('xml', () => {
    const valid = fromAlphabet('<<>>/="\'&;#xa b!-[]?CDAT9\n');
    fc.assert(fc.property(fuzz(valid), onlyOwnErrors('xml', parseXml)), RUNS);
  });
  it('fix and nvfix', () => {
    const valid = fromAlphabet('\x01=0123abc|');
    const fix = new FixShredder();
    const nvfix = new NvfixShredder();
    fc.assert(
      fc.property(
        fuzz(valid),
        onlyOwnErrors('fix', (b) => fix.toFields(b)),
      ),
      RUNS,
    );
    fc.assert(
      fc.property(
        fuzz(valid),
        onlyOwnErrors('nvfix', (b) => nvfix.toFields(b)),
      ),
      RUNS,
    );
  });
  it('decodePayload never throws, for any type', () => {
    const types = [
      'json',
      'fix',
      'nvfix',
      'xml',
      'msgpack',
      'bson',
      'bflat',
      'binary',
      'composite-global',
      'protobuf',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 64 }), (type, bytes) => {
        const p = decodePayload(type, bytes);
        expect(p.kind).toBeTypeOf('string');
      }),
      RUNS,
    );
  });
});

describe('encode → decode is the identity', () => {
  it('msgpack', () => {
    fc.assert(
      fc.property(msgpackValue, (v) => {
        expect(decodeMsgPack(encodeMsgPack(v))).toEqual(v);
      }),
      RUNS,
    );
  });
  it('msgpack keeps the bytes on re-encode', () => {
    fc.assert(
      fc.property(msgpackValue, (v) => {
        const bytes = encodeMsgPack(v);
        expect(encodeMsgPack(decodeMsgPack(bytes))).toEqual(bytes);
      }),
      RUNS,
    );
  });
  it('bson', () => {
    fc.assert(
      fc.property(bsonValue.doc, (d) => {
        expect(decodeBson(encodeBson(d))).toEqual(d);
      }),
      RUNS,
    );
  });
  it('bflat (and decode → encode gives the same bytes)', () => {
    fc.assert(
      fc.property(fc.array(bflatField, { maxLength: 6 }), (fields) => {
        const bytes = encodeBFlatFields(fields);
        const back = decodeBFlatFields(bytes);
        expect(back).toEqual(fields);
        expect(encodeBFlatFields(back)).toEqual(bytes);
      }),
      RUNS,
    );
  });
  it('composite', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 6 }), (parts) => {
        const b = new CompositeMessageBuilder();
        for (const p of parts) b.append(p);
        const parser = new CompositeMessageParser();
        expect(parser.parse(b.getData())).toBe(parts.length);
        parts.forEach((p, i) => expect(parser.getPart(i)).toEqual(p));
      }),
      RUNS,
    );
  });
  it('json (bigints exact; same values as JSON.parse otherwise)', () => {
    const withBig = fc.jsonValue().chain((v) => fc.tuple(fc.constant(v), unsafeInt64));
    fc.assert(
      fc.property(withBig, ([v, big]) => {
        const doc = { v, big };
        const back = decodeJson(encodeJson(doc)) as { v: unknown; big: unknown };
        expect(back.big).toBe(big);
        const plain = JSON.stringify(v);
        const toNum = (x: unknown): unknown =>
          typeof x === 'bigint'
            ? Number(x)
            : Array.isArray(x)
              ? x.map(toNum)
              : x && typeof x === 'object'
                ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, toNum(y)]))
                : x;
        expect(toNum(decodeJson(enc(plain)))).toEqual(JSON.parse(plain));
      }),
      RUNS,
    );
  });
  it('fix and nvfix', () => {
    const sep = '\x01';
    const name = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 8 })
      .filter((s) => !s.includes('=') && !s.includes(sep));
    const value = fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !s.includes(sep));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), value), { maxLength: 6 }),
        (nv, tv) => {
          const nb = new NvfixBuilder();
          for (const [n, v] of nv) nb.append(n, v);
          expect(new NvfixShredder().toFields(nb.getBytes()).map((f) => [f.name, f.value])).toEqual(
            nv.map(([n, v]) => [n, v === '' ? null : v]),
          );
          const fb = new FixBuilder();
          for (const [t, v] of tv) fb.append(t, v);
          expect(new FixShredder().toFields(fb.getBytes()).map((f) => [f.tag, f.value])).toEqual(
            tv.map(([t, v]) => [t, v === '' ? null : v]),
          );
        },
      ),
      RUNS,
    );
  });
});
