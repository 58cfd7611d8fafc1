/**
 * The fast paths of the header codec, Message and Router: byte-matched keys, the scratch table
 * of the decoder, the per-topic publish header cache, lazy payload slices and single-id routing
 * must give exactly what the general paths give.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_BY_KEY, FIELD_NAMES, FIELDS, type HeaderFields } from '../../src/protocol/fields.js';
import { decodeHeader, encodeClientHeaderBytes, encodeHeader } from '../../src/protocol/header.js';
import { FIELD_CODE, setFieldCode } from '../../src/protocol/headerSet.js';
import { forgetShapes } from '../../src/protocol/headerShape.js';
import { Message } from '../../src/protocol/message.js';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { Router, type Route } from '../../src/router.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('decodeHeader fast path', () => {
  it('matches escaped keys and keys of every length to their fields', () => {
    expect(decodeHeader(bytes('{"\\u0063":"p","t\\u006f\\u0070ic":"x"}')).fields).toEqual({
      command: 'publish',
      topic: 'x',
    });
    for (const name of FIELD_NAMES) {
      const longest = [...FIELDS[name].aliases].sort((a, b) => b.length - a.length)[0] as string;
      expect(decodeHeader(bytes(`{"${longest}":"v"}`)).fields, longest).toEqual({ [name]: 'v' });
      // one byte more or less is not the same key
      expect(decodeHeader(bytes(`{"${longest}x":"v"}`)).unknown).toEqual({ [`${longest}x`]: 'v' });
    }
  });

  it('keeps unknown keys (plain, escaped, non-ASCII) and lets a later duplicate win', () => {
    const d = decodeHeader(bytes('{"c":"ack","zz":"1","é":"2","q\\"":"3","c":"sow"}'));
    expect(d.fields).toEqual({ command: 'sow' });
    expect(d.unknown).toEqual({ zz: '1', é: '2', 'q"': '3' });
  });

  it('reads bare literals and numbers, and refuses malformed ones with the offending bytes', () => {
    const d = decodeHeader(bytes('{"c":"ack","s":-1.5e+3,"bs":0,"e":null,"a":true,"x":false}'));
    expect(d.fields).toEqual({
      command: 'ack',
      sequence: '-1.5e+3',
      batchSize: '0',
      expiration: '',
      ackType: 'true',
      correlationId: 'false',
    });
    for (const bad of ['1.', '1e', '-', '1e+', 'nul', 'truex', '.5', '+1', '1-2']) {
      expect(() => decodeHeader(bytes(`{"s":${bad}}`)), bad).toThrow(
        new RegExp(`not valid JSON: ${bad.replace(/[.+]/g, '\\$&')}`),
      );
    }
  });

  it('decodes headers with many pairs, at an offset, from a plain Uint8Array', () => {
    const many = Array.from({ length: 100 }, (_, i) => `"k${i}":"${i}"`).join(',');
    const text = `xx{"c":"p",${many},"t":"orders"}payload`;
    const u8 = new Uint8Array(bytes(text));
    const d = decodeHeader(u8, 2);
    expect(d.fields).toEqual({ command: 'publish', topic: 'orders' });
    expect(Object.keys(d.unknown ?? {})).toHaveLength(100);
    expect(d.unknown?.k99).toBe('99');
    expect(text.slice(d.end)).toBe('payload');
  });

  it('rejects invalid UTF-8 inside a string and strings cut by the limit', () => {
    const bad = Buffer.concat([bytes('{"t":"'), Buffer.from([0xc3, 0x28]), bytes('"}')]);
    expect(() => decodeHeader(bad)).toThrow(/invalid string in header/);
    const whole = bytes('{"c":"p","t":"orders"}');
    expect(() => decodeHeader(whole, 0, 16)).toThrow(ProtocolError);
    expect(decodeHeader(bytes('{"t":"caf\u00e9"}')).fields.topic).toBe('café');
  });
});

/** One generated header pair: the key, its value as written, and the text it must decode to. */
interface Pair {
  key: string;
  wire: string;
  text: string;
}

const KEYS = [...FIELD_BY_KEY.keys(), 'zz', 'custom_key'];
const asciiText = fc
  .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 24 })
  .map((codes) => String.fromCharCode(...codes));
/** A value: a quoted string (plain, escaped or non-ASCII) or a bare number or literal. */
const valueArb: fc.Arbitrary<{ wire: string; text: string }> = fc.oneof(
  { weight: 4, arbitrary: asciiText.map((t) => ({ wire: JSON.stringify(t), text: t })) },
  fc.string({ maxLength: 8 }).map((t) => ({ wire: JSON.stringify(t), text: t })),
  fc.integer().map((n) => ({ wire: String(n), text: String(n) })),
  fc
    .constantFrom('true', 'false', '-1.5e+3', '0.25', '123456789012345678901')
    .map((t) => ({ wire: t, text: t })),
  fc.constant({ wire: 'null', text: '' }),
);
const pairArb: fc.Arbitrary<Pair> = fc
  .tuple(fc.constantFrom(...KEYS), valueArb)
  .map(([key, v]) => ({ key, wire: v.wire, text: v.text }));
const spaceArb = fc.constantFrom('', '', '', ' ', '\n\t');

/** Writes pairs as a header, with the same whitespace `gap` around every separator. */
const writeHeader = (pairs: Pair[], gap: string): string =>
  `{${gap}${pairs.map((p) => `${JSON.stringify(p.key)}${gap}:${gap}${p.wire}`).join(`${gap},${gap}`)}${gap}}`;

/** What a header of these pairs decodes to, worked out from the pairs themselves. */
function expected(pairs: Pair[]): { fields: HeaderFields; unknown?: Record<string, string> } {
  const fields: Record<string, string> = {};
  let unknown: Record<string, string> | undefined;
  for (const p of pairs) {
    const name = FIELD_BY_KEY.get(p.key);
    if (name === undefined) (unknown ??= {})[p.key] = p.text;
    else fields[name] = name === 'command' && p.text === 'p' ? 'publish' : p.text;
  }
  return unknown ? { fields, unknown } : { fields };
}

/** The decoded header, or the error it raised, as plain data. */
function outcome(buf: Buffer, limit = buf.length): unknown {
  try {
    return decodeHeader(buf, 0, limit);
  } catch (e) {
    return { error: String(e), offset: (e as ProtocolError).offset };
  }
}

describe('decodeHeader repeated-shape fast path', () => {
  it('decodes the next header of a remembered shape exactly as the pairs say (differential)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(pairArb, valueArb), { minLength: 1, maxLength: 10 }),
        spaceArb,
        (generated, gap) => {
          forgetShapes();
          const first = generated.map(([p]) => p);
          const second = generated.map(([p, v]) => ({ key: p.key, wire: v.wire, text: v.text }));
          const a = Buffer.from(`${writeHeader(first, gap)}payload`);
          const b = Buffer.from(`${writeHeader(second, gap)}payload`);
          const da = decodeHeader(a);
          expect({ fields: da.fields, unknown: da.unknown }).toEqual(expected(first));
          expect(a.toString('latin1', da.end)).toBe('payload');
          // decoded after `a`, by its shape where the bytes allow it
          const db = decodeHeader(b);
          expect({ fields: db.fields, unknown: db.unknown }).toEqual(expected(second));
          expect(b.toString('latin1', db.end)).toBe('payload');
          // and the same again, now certainly by the shape of `b`
          expect(decodeHeader(b)).toEqual(db);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("gives the general decoder's result or error for mutated and cut headers of a remembered shape", () => {
    const shapeArb = fc.array(pairArb, { minLength: 1, maxLength: 8 });
    const mutationArb = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(shapeArb, mutationArb, fc.nat(), spaceArb, (pairs, mutations, cut, gap) => {
        const primer = Buffer.from(writeHeader(pairs, gap));
        const mutated = Buffer.from(primer);
        for (const [at, byte] of mutations) mutated[at % mutated.length] = byte;
        const limit = cut % 3 === 0 ? cut % (mutated.length + 1) : mutated.length;
        forgetShapes();
        const general = outcome(mutated, limit);
        forgetShapes();
        decodeHeader(primer);
        expect(outcome(mutated, limit)).toEqual(general);
      }),
      { numRuns: 1500 },
    );
  });

  it('interns repeated values without mixing up values of the same length', () => {
    forgetShapes();
    // 3000 distinct 6-byte topics and 5-byte sub ids share the slots of the intern table
    const topic = (n: number): string => `t${String(n).padStart(5, '0')}`;
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 3000; n++) {
        const sid = String(10000 + ((n * 7919) % 90000));
        const d = decodeHeader(bytes(`{"c":"p","t":"${topic(n)}","sids":"${sid}","s":${n}}`));
        expect(d.fields).toEqual({ command: 'publish', topic: topic(n), subIds: sid, sequence: String(n) });
        // the general decoder interns the same way
        const g = decodeHeader(bytes(`{"t":"${topic(n)}","zz":"1","sids":"${sid}"}`));
        expect([g.fields.topic, g.fields.subIds]).toEqual([topic(n), sid]);
      }
    }
  });

  it('tells a repeated value from its prefixes, extensions and same-length neighbours', () => {
    forgetShapes();
    // Each header is decoded right after one whose values it shares, extends, shortens or
    // changes in its last byte: the one-pass comparison with the last value must not match.
    const topics = ['orders', 'orders', 'order', 'ordersX', 'orderz', 'orders', '', 'o', 'orders'];
    const bookmarks = ['1|17|', '1|1700000000000000|', '1|1700000000000001|', '12|170000000000000|', '1|2|'];
    const seen: string[] = [];
    for (let n = 0; n < 60; n++) {
      const t = topics[n % topics.length] as string;
      const bm = bookmarks[n % bookmarks.length] as string;
      const s = n % 7 === 0 ? `-${n}.5` : String(n * 1000003);
      const header = `{"c":"p","t":"${t}","sids":"${n % 3}","s":${s},"bm":"${bm}","k":"${n % 11}"}`;
      // the bookmark ends near the end of its buffer: the 24-byte builder must not read past it
      const d = decodeHeader(Buffer.from(header));
      expect(d.fields, header).toEqual({
        command: 'publish',
        topic: t,
        subIds: String(n % 3),
        sequence: s,
        bookmark: bm,
        sowKey: String(n % 11),
      });
      seen.push(d.fields.topic as string);
    }
    expect(new Set(seen)).toEqual(new Set(topics));
  });

  it('stores each field code under its own name', () => {
    for (const [code, name] of FIELD_NAMES.entries()) {
      const fields: HeaderFields = {};
      setFieldCode(fields, code, 'v');
      expect(fields, name).toEqual({ [name]: 'v' });
      expect(FIELD_CODE[name]).toBe(code);
    }
    const c: HeaderFields = {};
    setFieldCode(c, FIELD_CODE.command, 'p');
    expect(c).toEqual({ command: 'publish' });
  });

  it('falls back to the general decoder on another key order, escapes, spacing and bad values', () => {
    forgetShapes();
    const delivery = (s: string, bm: string, t = '"orders"'): Buffer =>
      bytes(`{"c":"p","t":${t},"sids":"1","s":${s},"bm":"${bm}","k":"1001"}`);
    expect(decodeHeader(delivery('1', '1|2|')).fields.sequence).toBe('1');
    const next = decodeHeader(delivery('123456789012345678901', '1|1700000000000000|'));
    expect(next.fields).toEqual({
      command: 'publish',
      topic: 'orders',
      subIds: '1',
      sequence: '123456789012345678901',
      bookmark: '1|1700000000000000|',
      sowKey: '1001',
    });
    expect(decodeHeader(delivery('2', 'x', '"caf\u00e9"')).fields.topic).toBe('café');
    expect(decodeHeader(delivery('2', 'x', '"été"')).fields.topic).toBe('été');
    expect(decodeHeader(delivery('2', 'x', 'null')).fields.topic).toBe('');
    expect(() => decodeHeader(delivery('1.', 'x'))).toThrow(/not valid JSON: 1\./);
    expect(() => decodeHeader(delivery('', 'x'))).toThrow(/is not a string, number or literal/);
    expect(decodeHeader(bytes('{"t":"orders","c":"p"}')).fields).toEqual({
      command: 'publish',
      topic: 'orders',
    });
    expect(decodeHeader(bytes('{ "c" : "p" , "t" : "orders" }')).fields).toEqual({
      command: 'publish',
      topic: 'orders',
    });
    const cut = delivery('3', 'y');
    expect(() => decodeHeader(cut, 0, cut.length - 1)).toThrow(/header ends before its closing/);
    // acks, SOW records and deliveries interleave: each keeps decoding right
    for (let n = 0; n < 3; n++) {
      expect(
        decodeHeader(bytes(`{"c":"ack","a":"processed","cid":"c${n}","status":"success"}`)).fields,
      ).toEqual({
        command: 'ack',
        ackType: 'processed',
        commandId: `c${n}`,
        status: 'success',
      });
      expect(decodeHeader(delivery(String(n), `b${n}`)).fields.bookmark).toBe(`b${n}`);
      expect(decodeHeader(bytes(`{"c":"sow","t":"orders","k":"${n}","x":"${n}","l":2}`)).fields).toEqual({
        command: 'sow',
        topic: 'orders',
        sowKey: String(n),
        correlationId: String(n),
        length: '2',
      });
    }
  });
});

describe('encodeHeader and the publish header cache', () => {
  it('writes the fixed order whatever the insertion order, skipping undefined and unknown keys', () => {
    const fields = { sequence: '7', topic: 't', junk: 'x', command: 'publish', sowKey: undefined };
    expect(encodeHeader(fields as HeaderFields)).toBe('{"c":"p","t":"t","s":7}');
    expect(encodeHeader({ topic: 'a"b', command: 'sow', batchSize: '1x' })).toBe(
      '{"c":"sow","t":"a\\"b","batch_size":"1x"}',
    );
  });

  it('gives the bytes of encodeHeader, reusing one Buffer per plain publish topic', () => {
    const a = encodeClientHeaderBytes({ command: 'publish', topic: 'orders' }, true);
    const b = encodeClientHeaderBytes({ topic: 'orders', command: 'publish' }, true);
    expect(a.toString()).toBe('{"c":"p","t":"orders"}');
    expect(b).toBe(a);
    const delta = encodeClientHeaderBytes({ command: 'delta_publish', topic: 'orders' }, true);
    expect(delta.toString()).toBe('{"c":"delta_publish","t":"orders"}');
    const extra = encodeClientHeaderBytes({ command: 'publish', topic: 'orders', sowKey: 'k1' }, true);
    expect(extra.toString()).toBe('{"c":"p","t":"orders","k":"k1"}');
    expect(encodeClientHeaderBytes({ command: 'publish', topic: 'ü' }, false).toString()).toBe(
      '{"c":"publish","t":"ü"}',
    );
    expect(encodeClientHeaderBytes({ command: 'publish', topic: 'orders' }, true).toString()).toBe(
      '{"c":"p","t":"orders"}',
    );
  });
});

describe('Message payload slices', () => {
  it('reads data, text, size and json from the frame without copying', () => {
    const frame = bytes('{"c":"p","t":"t"}{"n":"é"}');
    const { fields, end } = decodeHeader(frame);
    const m = Message.fromFrame(fields, frame, end);
    expect(m.size).toBe(frame.length - end);
    expect(m.text).toBe('{"n":"é"}');
    expect(m.json()).toEqual({ n: 'é' });
    expect(m.data.equals(frame.subarray(end))).toBe(true);
    expect(m.data.buffer).toBe(frame.buffer);
    expect(m.data).toBe(m.data);
    expect(m.toString()).toBe(`Message(command=publish topic=t, ${m.size} bytes)`);
    const empty = Message.fromFrame({ command: 'ack' }, bytes('{"c":"ack"}'), 11);
    expect([empty.size, empty.text, empty.data.length]).toEqual([0, '', 0]);
    expect(new Message({ command: 'p' }, bytes('abc')).text).toBe('abc');
  });
});

describe('Router deliveries', () => {
  const route = (subId: string, got: string[]): Route => ({
    commandId: `c-${subId}`,
    subId,
    deliver: (_m, via) => got.push(`${subId}<-${via ?? ''}`),
    fail: () => {},
  });

  it('routes by one sid, by each of several, and by sub_id without sids', () => {
    const got: string[] = [];
    const router = new Router();
    router.add(route('1', got));
    router.add(route('2', got));
    expect(router.dispatch(new Message({ command: 'publish', subIds: '1' }))).toBe('routed');
    expect(router.dispatch(new Message({ command: 'oof', subIds: '2,9,1' }))).toBe('routed');
    expect(router.dispatch(new Message({ command: 'delta_publish', subId: '2' }))).toBe('routed');
    expect(router.dispatch(new Message({ command: 'publish', subIds: '', subId: '1' }))).toBe('routed');
    expect(router.dispatch(new Message({ command: 'publish', subIds: '9' }))).toBe('unrouted');
    expect(router.dispatch(new Message({ command: 'publish' }))).toBe('unrouted');
    expect(got).toEqual(['1<-1', '2<-2', '1<-1', '2<-2', '1<-1']);
  });
});
