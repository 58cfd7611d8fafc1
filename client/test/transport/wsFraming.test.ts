import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { splitSowBatch } from '../../src/protocol/sowBatch.js';
import { decodeHeader } from '../../src/protocol/header.js';
import { WebSocketReassembler } from '../../src/transport/wsFraming.js';

function feed(messages: (string | Buffer)[], max = 1 << 20): string[] {
  const out: string[] = [];
  const r = new WebSocketReassembler((f) => out.push(f.toString('utf8')), max);
  for (const m of messages) r.push(typeof m === 'string' ? Buffer.from(m) : m, typeof m !== 'string');
  return out;
}

function sowRecords(frame: string): { k?: string; l?: string; data: string }[] {
  const buf = Buffer.from(frame);
  const { end } = decodeHeader(buf);
  return splitSowBatch(buf, end).map((r) => ({
    k: r.fields.sowKey,
    l: r.fields.length,
    data: r.data.toString(),
  }));
}

describe('WebSocketReassembler', () => {
  it('header-only messages are whole frames', () => {
    expect(feed(['{"c":"ack","cid":"1"}', '{"c":"heartbeat"}', '{"c":"group_end","query_id":"q"}'])).toEqual([
      '{"c":"ack","cid":"1"}',
      '{"c":"heartbeat"}',
      '{"c":"group_end","query_id":"q"}',
    ]);
  });

  it('p, publish and oof take the next message as the body unless l is 0', () => {
    expect(
      feed([
        '{"c":"p","sids":"1","l":2}',
        'ab',
        '{"c":"publish","sids":"1"}',
        '{"c":"x"}',
        '{"c":"oof","sids":"1","l":"0"}',
        '{"c":"p","sids":"1","l":0}',
        '{"c":"ack"}',
      ]),
    ).toEqual([
      '{"c":"p","sids":"1","l":2}ab',
      '{"c":"publish","sids":"1"}{"c":"x"}',
      '{"c":"oof","sids":"1","l":"0"}',
      '{"c":"p","sids":"1","l":0}',
      '{"c":"ack"}',
    ]);
  });

  it('the body of a message may be binary', () => {
    const out: Buffer[] = [];
    const r = new WebSocketReassembler((f) => out.push(Buffer.from(f)), 1 << 20);
    r.push(Buffer.from('{"c":"p","sids":"1"}'), false);
    expect(r.midMessage).toBe(true);
    r.push(Buffer.from([0, 0xff, 0x7b]), true);
    expect(r.midMessage).toBe(false);
    expect(out[0]).toEqual(
      Buffer.concat([Buffer.from('{"c":"p","sids":"1"}'), Buffer.from([0, 0xff, 0x7b])]),
    );
  });

  it('sow batches: l is kept when right, added when missing, replaced when wrong', () => {
    const [frame] = feed([
      '{"c":"sow","query_id":"q","bs":3}',
      '{"k":"1","l":3}',
      'abc',
      '{"k":"2"}',
      'defg',
      '{"l":"99","k":"3","x":"y"}',
      'hi',
    ]);
    expect(frame?.startsWith('{"c":"sow","query_id":"q","bs":3}{"k":"1","l":3}abc')).toBe(true);
    expect(sowRecords(frame as string)).toEqual([
      { k: '1', l: '3', data: 'abc' },
      { k: '2', l: '4', data: 'defg' },
      { k: '3', l: '2', data: 'hi' },
    ]);
  });

  it('a sow header with bs 0 is a frame of its own; without bs it is an error', () => {
    expect(feed(['{"c":"sow","query_id":"q","bs":0}', '{"c":"ack"}'])).toEqual([
      '{"c":"sow","query_id":"q","bs":0}',
      '{"c":"ack"}',
    ]);
    expect(() => feed(['{"c":"sow","query_id":"q"}'])).toThrow(ProtocolError);
  });

  it('accepts Go-style length-prefixed binary frames and skips empty ones', () => {
    const body = Buffer.from('{"c":"ack","cid":"7"}');
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(body.length);
    expect(feed([Buffer.concat([prefix, body]), Buffer.alloc(4), '{"c":"heartbeat"}'])).toEqual([
      '{"c":"ack","cid":"7"}',
      '{"c":"heartbeat"}',
    ]);
  });

  it('malformed sequences are ProtocolErrors', () => {
    expect(() => feed(['not json'])).toThrow(ProtocolError);
    expect(() => feed([Buffer.from([0, 0, 0, 9, 1])])).toThrow(/binary WebSocket message/);
    expect(() => feed(['{"c":"sow","bs":1}', 'garbage header'])).toThrow(/sow record header/);
  });

  it('units over the size limit are ProtocolErrors', () => {
    let caught: unknown;
    try {
      feed(['{"c":"p","sids":"1"}', 'x'.repeat(100)], 64);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).kind).toBe('frame-too-large');
  });
});
