/**
 * The fast paths of the header codec, Message and Router: byte-matched keys, the scratch table
 * of the decoder, the per-topic publish header cache, lazy payload slices and single-id routing
 * must give exactly what the general paths give.
 */
import { describe, expect, it } from 'vitest';
import { FIELD_NAMES, FIELDS, type HeaderFields } from '../../src/protocol/fields.js';
import { decodeHeader, encodeClientHeaderBytes, encodeHeader } from '../../src/protocol/header.js';
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
